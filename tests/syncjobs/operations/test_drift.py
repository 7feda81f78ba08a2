"""The daily drift check over HTTP: a tenant field that vanished or changed type pauses its flow."""

import pytest
import time_machine
from django.utils import timezone

from syncjobs.engine.dispatch import InlineDispatcher
from syncjobs.models import FieldDrift, SyncFlow
from syncjobs.models.flow import snapshot_rows
from syncjobs.operations import control, drift
from syncjobs.operations.notify.causes import CAUSES, Check
from syncjobs.queries import metadata
from syncjobs.scenarios.install import install_scenarios
from syncjobs.schedules import SCHEDULES
from syncjobs.services import mapping_checks
from tests.syncjobs.console.sandbox_connectors import crm_connector, erp_connector
from tests.syncjobs.factories import make_flow, make_mapping

pytestmark = pytest.mark.django_db
GRADE = "F_PAEZ_Grade"


@pytest.fixture(scope="module")
def tenants(sandbox_server):
    return sandbox_server.seed(size=4, seed=29)


@pytest.fixture
def grade(sandbox):
    """A tenant's own text field on the ERP's customers, taken away again after the test."""
    sandbox.set_tenant_field("k3cloud", "BD_Customer", GRADE, "text", label="客户等级")
    yield GRADE
    sandbox.reset_tenant_fields()


@pytest.fixture
def flow(sandbox, tenants, grade):
    flow = make_flow(
        "drifting-customers",
        source=crm_connector(sandbox, tenants["fxiaoke"]),
        target=erp_connector(sandbox, tenants["k3cloud"]),
        enabled=True,
    )
    make_mapping(flow, "FNumber", "account_no", required=True, position=10)
    make_mapping(flow, grade, "account_level", position=20)
    metadata.object_fields(flow.target_connector, "BD_Customer")  # what the editor read when saving
    return flow


def test_fields_that_still_fit_leave_the_flow_running(flow):
    assert drift.check_all() == []
    assert not control.is_paused(flow)


def test_a_vanished_tenant_field_pauses_the_flow_and_raises_a_critical_alert(flow, sandbox):
    sandbox.remove_tenant_field("k3cloud", "BD_Customer", GRADE)

    with time_machine.travel("2026-12-04 05:15:00+00:00", tick=False):
        [found] = drift.check_all()

    assert found.changes == [
        {"side": "target", "path": GRADE, "change": "vanished", "was": "TextField", "now": ""}
    ]
    assert control.is_paused(flow)
    [alert] = CAUSES["metadata-drift"].find(Check(now=timezone.now()))
    assert alert.cause == f"metadata-drift:{flow.slug}" and alert.flow_ids == (flow.pk,)
    assert f"“{GRADE}” no longer exists" in alert.body and "resume the flow" in alert.body


def test_a_changed_type_stays_a_drift_until_the_flow_is_resumed(flow, sandbox):
    sandbox.set_tenant_field("k3cloud", "BD_Customer", GRADE, "decimal")
    [found] = drift.check_all()
    assert found.changes[0]["change"] == "retyped"
    assert (found.changes[0]["was"], found.changes[0]["now"]) == ("TextField", "DecimalField")

    assert drift.check_all() == [found]  # still paused: still reported
    control.resume_flow(flow, dispatcher=InlineDispatcher())
    assert CAUSES["metadata-drift"].find(Check(now=timezone.now())) == []

    assert drift.check_all() == []
    assert not FieldDrift.objects.filter(flow=flow, cleared_at=None).exists()


def test_the_check_is_scheduled_daily():
    [spec] = [s for s in SCHEDULES if s["func"] == "syncjobs.tasks.check_field_drift"]
    assert spec["schedule_type"] == "C" and spec["cron"].count("*") == 3


def test_a_crm_field_a_flow_reads_that_vanished_is_a_drift_on_the_source_side(flow, sandbox):
    sandbox.set_tenant_field("fxiaoke", "AccountObj", "field_region__c", "text", label="区域")
    try:
        make_mapping(flow, "FADDRESS", "field_region__c", position=30)
        metadata.object_fields(flow.source_connector, "AccountObj", refresh=True)
        sandbox.remove_tenant_field("fxiaoke", "AccountObj", "field_region__c")

        [found] = drift.check_all()
    finally:
        sandbox.reset_tenant_fields()

    assert found.changes == [
        {"side": "source", "path": "field_region__c", "change": "vanished", "was": "text", "now": ""}
    ]
    assert control.is_paused(flow)


def test_the_shipped_flows_fit_the_sandboxes_metadata_and_keep_running(sandbox_server, sandbox):
    tenants = sandbox_server.seed(size=4, seed=41)
    install_scenarios(crm_connector(sandbox, tenants["fxiaoke"]), erp_connector(sandbox, tenants["k3cloud"]))
    SyncFlow.objects.update(enabled=True)

    for flow in SyncFlow.objects.select_related("source_connector", "target_connector"):
        assert mapping_checks.check_rows(flow, snapshot_rows(flow)).messages() == [], flow.slug
    assert drift.check_all() == []
    assert control.paused_flow_ids(SyncFlow.objects.values_list("pk", flat=True)) == set()
