"""``manage.py demo --no-serve`` end to end against a running sandbox server."""

import logging
import socket
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django_q.models import Schedule

from sandbox.dataset import build_dataset
from syncjobs import schedules
from syncjobs.adapters.base import ReadOptions
from syncjobs.adapters.clients import adapter_for
from syncjobs.models import Connector, RecordStatus, SyncFlow, SyncRecord, SyncRun, WriteBack
from syncjobs.scenarios.demo import CRM_SLUG, ERP_SLUG, ensure_schedules
from syncjobs.scenarios.install import install_scenarios
from tests.syncjobs.factories import make_fxiaoke, make_k3cloud

SIZE = 6


@pytest.fixture
def demo(db, sandbox, settings, tmp_path):
    """Runs the demo against the test session's sandbox server; returns its output."""
    settings.DATA_DIR = tmp_path  # the login file goes here, not into the developer's var/
    settings.INTEGRATION_HUB_RETRY_BASE_SECONDS = 0.01
    settings.INTEGRATION_HUB_RETRY_CAP_SECONDS = 0.05

    def run():
        out = StringIO()
        call_command("demo", "--no-serve", "--sandbox-url", sandbox.base_url, "--size", str(SIZE), stdout=out)
        return out.getvalue()

    return run


def totals(after=0):
    """``{flow slug: (read, created, updated, unchanged, failed)}`` over the runs after ``after``."""
    found = {}
    for run in SyncRun.objects.filter(pk__gt=after).select_related("flow"):
        counts = (run.read_count, run.created_count, run.updated_count, run.unchanged_count, run.failed_count)
        previous = found.get(run.flow.slug, (0,) * 5)
        found[run.flow.slug] = tuple(a + b for a, b in zip(previous, counts, strict=True))
    return found


def erp_records(form_id, fields, audited_only=True):
    adapter = adapter_for(Connector.objects.get(slug=ERP_SLUG))
    try:
        pages = adapter.read_changed(form_id, None, ReadOptions(fields=fields, audited_only=audited_only))
        return [record for page in pages for record in page]
    finally:
        adapter.client.close()


def test_the_demo_syncs_the_seeded_business_and_only_the_deliberate_flaws_fail(demo, sandbox):
    mark = max((call["id"] for call in sandbox.calls("fxiaoke")), default=0)
    output = demo()

    business = build_dataset(size=SIZE, seed=42, flaws=True)
    regular = [p for p in business.products if not p.get("crm_only")]
    existing = max(1, min(20, SIZE // 10))  # customers the ERP sandbox already has
    counts = totals()
    notices = len(erp_records("SAL_DELIVERYNOTICE", ["FBillNo"]))
    receipts = len(erp_records("AR_RECEIVEBILL", ["FBillNo"]))
    # Products are matched by code; those the CRM counts in 台 take the ERP's unit (Pcs → 个).
    assert counts["products"] == (
        len(regular),
        0,
        sum(p["unit_name"] == "台" for p in regular),
        sum(p["unit_name"] != "台" for p in regular),
        0,
    )
    assert counts["customers"] == (SIZE + 2, SIZE - existing, existing, 0, 2)
    assert counts["contacts"] == (len(business.contacts), len(business.contacts), 0, 0, 0)
    assert counts["sales-orders"] == (SIZE + 1, SIZE, 0, 0, 0)
    assert counts["shipments"] == (notices, notices, 0, 0, 0) and notices > 0
    assert counts["receipts"] == (receipts, receipts, 0, 0, 0) and receipts > 0
    assert "shipments-outstock" not in counts

    problems = SyncRecord.objects.filter(
        status__in=[RecordStatus.FAILED, RecordStatus.DEAD, RecordStatus.WAITING]
    )
    assert sorted((r.flow.slug, r.status, r.error_field or r.source_number) for r in problems) == [
        ("customers", "failed", "FCustTypeId.FNumber"),
        ("customers", "failed", "FName"),
        ("sales-orders", "waiting", f"SO{SIZE + 1:06d}"),
    ]
    assert "Records that did not sync, and why (3):" in output
    assert "the value “3” has no entry in value map “account-type-customer-type”" in output
    assert "a value is required but the source field name is empty" in output
    assert "waiting for record" in output and "of flow “products”" in output
    check_write_backs_and_messages(sandbox.calls("fxiaoke", after_id=mark))


def check_write_backs_and_messages(crm_calls):
    """Every account but the two flawed ones holds its ERP number; each delivery told its owner once."""
    assert not WriteBack.objects.filter(status="pending").exists()
    crm = adapter_for(Connector.objects.get(slug=CRM_SLUG))
    try:
        accounts = list(crm.client.query("AccountObj", field_projection=["name", "field_erpNo__c"]))
        notes = list(crm.client.query("DeliveryNoteObj", field_projection=["name"]))
    finally:
        crm.client.close()
    assert len([a for a in accounts if a.get("field_erpNo__c")]) == len(accounts) - 2
    messages = [call["detail"] for call in crm_calls if call["operation"] == "/cgi/message/send"]
    assert len(messages) == len(notes)
    assert sorted(text.rsplit(" ", 1)[-1] for text in messages) == sorted(note["name"] for note in notes)


def test_running_the_demo_again_reseeds_nothing_and_creates_nothing(demo):
    demo()
    flows = SyncFlow.objects.count()
    last_run = SyncRun.objects.latest("pk").pk
    erp_customers = len(erp_records("BD_Customer", ["FName"], audited_only=False))

    output = demo()

    assert "Using the sandboxes and connectors of an earlier demo run (no reseeding)." in output
    again = totals(after=last_run)
    assert sum(created for _read, created, *_rest in again.values()) == 0
    assert sum(updated for _read, _created, updated, *_rest in again.values()) == 0
    assert SyncFlow.objects.count() == flows and Connector.objects.count() == 2
    assert len(erp_records("BD_Customer", ["FName"], audited_only=False)) == erp_customers
    assert "Records that did not sync" not in output


def test_a_second_demo_reads_none_of_the_customers_the_hub_wrote_back_to(demo):
    demo()
    last_run = SyncRun.objects.latest("pk").pk
    assert WriteBack.objects.filter(status="done").exists()

    output = demo()

    customers = SyncRun.objects.filter(pk__gt=last_run, flow__slug="customers")
    assert sum(run.read_count for run in customers) == 0
    assert sum(run.echo_count for run in customers) == WriteBack.objects.filter(status="done").count()
    assert "own writes skipped" in output


def test_before_serving_every_enabled_flow_has_its_schedule(db):
    install_scenarios(make_fxiaoke(CRM_SLUG), make_k3cloud(ERP_SLUG))

    ensure_schedules()

    flows = SyncFlow.objects.filter(enabled=True)
    assert {schedules.flow_schedule(flow.pk).minutes for flow in flows} == {1}
    assert schedules.flow_schedule(SyncFlow.objects.get(slug="shipments-outstock").pk) is None
    assert Schedule.objects.filter(func=schedules.RECONCILE).count() == 1


def test_served_demo_points_the_crm_sandbox_at_the_webhook(db, sandbox, settings):
    from syncjobs.scenarios.demo import SandboxControl, connect_crm_webhook

    crm = make_fxiaoke(slug=CRM_SLUG)
    connect_crm_webhook(sandbox.base_url, "http://127.0.0.1:8000", crm)

    switches = SandboxControl(sandbox.base_url).set_switches("fxiaoke")
    assert switches["webhook_url"] == "http://127.0.0.1:8000/hooks/sync/"
    assert switches["webhook_secret"] == settings.INTEGRATION_HUB_WEBHOOK_SECRETS[0]
    assert switches["webhook_connector"] == CRM_SLUG


def test_the_demo_exits_non_zero_when_its_flows_cannot_run(demo, sandbox):
    # The CRM tenant has bought no Open API quota: every call is refused, no flow reading it can run.
    sandbox.set_faults("fxiaoke", quota_mode="none")

    with pytest.raises(CommandError) as refused:
        demo()

    failed = SyncRun.objects.filter(status="failed").values_list("flow__slug", flat=True).distinct()
    assert failed
    assert f"{len(failed)} flows could not run: " in str(refused.value)
    assert all(slug in str(refused.value) for slug in failed)
    assert "See why above" in str(refused.value)


def test_the_syncs_log_lines_go_to_a_file_not_over_the_summary(demo, settings, capfd):
    root = logging.getLogger()
    levels = [handler.level for handler in root.handlers]

    output = demo()

    log_file = settings.DATA_DIR / "demo.log"
    assert f"The sync's details are written to {log_file}." in output
    assert " INFO connectors.http " in log_file.read_text(encoding="utf-8")
    assert " INFO " not in capfd.readouterr().err
    assert [handler.level for handler in root.handlers] == levels


def test_the_demo_refuses_a_port_that_is_not_one():
    with pytest.raises(CommandError, match="99999 is not a port: give a number from 0 to 65535"):
        call_command("demo", "--port", "99999")


@pytest.mark.django_db(databases=["default", "sandbox"])
def test_the_demo_on_a_busy_port_says_so_and_suggests_another(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(CommandError, match=f"Port {port} on 127.0.0.1 is in use.*--port"):
            call_command("demo", "--no-serve", "--port", str(port), stdout=StringIO())


def test_a_sandbox_url_where_nothing_answers_is_one_line(db, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # closed when the block ends: nothing listens there
    url = f"http://127.0.0.1:{port}"
    with pytest.raises(CommandError, match=f"The sandboxes at {url} do not answer"):
        call_command("demo", "--no-serve", "--sandbox-url", url, stdout=StringIO())
