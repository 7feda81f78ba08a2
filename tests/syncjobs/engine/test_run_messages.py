"""A run's message is read in the reader's language, whichever language the worker spoke."""

import csv
import io

import pytest
from django.urls import reverse
from django.utils import translation

from syncjobs.models import RunStatus, SyncRun
from syncjobs.resources import SyncRunResource
from syncjobs.services import sync
from tests.syncjobs.console.sandbox_connectors import crm_connector, erp_connector
from tests.syncjobs.exporting import export_form
from tests.syncjobs.factories import make_flow, make_mapping, make_run, make_value_map

pytestmark = pytest.mark.django_db

ENGLISH = (
    "Flow “Customers” cannot run: the flow has no field mappings; add at least one mapping row and "
    "save the flow"
)
CHINESE = "流程“Customers”无法运行：该流程没有字段映射；请至少添加一行映射并保存流程"


def sandbox_flow(sandbox):
    tenants = sandbox.seed(size=3, seed=44)
    return make_flow(
        "customers",
        source=crm_connector(sandbox, tenants["fxiaoke"]),
        target=erp_connector(sandbox, tenants["k3cloud"]),
        options={"parallel_batches": 1, "retry_base_seconds": 0, "retry_cap_seconds": 0},
    )


@pytest.fixture
def failed_in_english():
    """A worker speaking English fails a run of a flow that has no mapping rows (before any call)."""
    flow = make_flow("customers")
    with translation.override("en"):
        return sync.run_now(flow, sleep=lambda s: None)


def test_the_worker_stores_the_message_id_and_its_nested_reason(failed_in_english):
    run = failed_in_english
    assert run.status == RunStatus.FAILED
    assert run.message == ENGLISH  # as the worker wrote it
    assert run.message_params["id"] == "Flow “%(flow)s” cannot run: %(reason)s"
    with translation.override("zh-hans"):
        assert run.message_text == CHINESE


@pytest.mark.parametrize(
    ("language", "shown", "hidden"), [("zh-hans", CHINESE, ENGLISH), ("en", ENGLISH, CHINESE)]
)
def test_the_run_page_reads_in_the_viewer_s_language(
    failed_in_english, admin_client_csrf, language, shown, hidden
):
    url = reverse("admin:syncjobs_syncrun_change", args=[failed_in_english.pk])
    page = admin_client_csrf.get(url, HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert shown in page and hidden not in page


@pytest.mark.parametrize(("language", "shown"), [("zh-hans", CHINESE), ("en", ENGLISH)])
def test_the_run_export_reads_in_the_exporter_s_language(failed_in_english, finance_client, language, shown):
    url = reverse("admin:syncjobs_syncrun_export")
    response = finance_client.post_form(url, export_form(SyncRunResource), HTTP_ACCEPT_LANGUAGE=language)
    _header, row = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))[:2]
    assert row[-1] == shown


@pytest.mark.parametrize(("language", "shown"), [("zh-hans", CHINESE), ("en", ENGLISH)])
def test_the_progress_json_reads_in_the_viewer_s_language(
    failed_in_english, admin_client_csrf, language, shown
):
    url = reverse("operations:progress") + f"?runs={failed_in_english.pk}"
    progress = admin_client_csrf.get(url, HTTP_ACCEPT_LANGUAGE=language).json()
    assert progress["runs"][str(failed_in_english.pk)]["message"] == shown


def test_a_run_stored_before_the_parameters_shows_its_text(admin_client_csrf):
    old = make_run(make_flow(), status=RunStatus.FAILED, message="旧的消息")
    assert SyncRun.objects.get(pk=old.pk).message_params == {}
    url = reverse("admin:syncjobs_syncrun_change", args=[old.pk])
    assert "旧的消息" in admin_client_csrf.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    with translation.override("en"):
        assert SyncRun.objects.get(pk=old.pk).message_text == "旧的消息"


def test_the_summary_of_a_partly_failed_run_counts_in_the_reader_s_plural(sandbox):
    flow = sandbox_flow(sandbox)
    make_value_map("account-types", {}, name="Account type → customer type")
    make_mapping(flow, "FName", "name", required=True, position=10)
    make_mapping(
        flow, "FCustTypeId.FNumber", "account_type", "value_map", {"map": "account-types"}, position=20
    )
    with translation.override("en"):
        run = sync.run_now(flow, sleep=lambda s: None)
    assert run.failed_count > 1
    with translation.override("zh-hans"):
        assert run.message_text == f"{run.failed_count} 条记录失败。"
    with translation.override("en"):
        assert run.message_text == run.message == f"{run.failed_count} records failed."
