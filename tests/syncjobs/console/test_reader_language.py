"""A stored failure reason is read in the reader's language, whichever language the worker spoke."""

import pytest
from django.urls import reverse
from django.utils import translation

from syncjobs.models import SyncRecord
from syncjobs.services import sync
from tests.syncjobs.console.sandbox_connectors import crm_connector, erp_connector
from tests.syncjobs.factories import make_flow, make_mapping, make_value_map

pytestmark = pytest.mark.django_db


@pytest.fixture
def failed_in_chinese(sandbox, settings):
    """A worker speaking Chinese fails every account on an account type the value map lacks."""
    tenants = sandbox.seed(size=3, seed=41)
    flow = make_flow(
        "customers",
        source=crm_connector(sandbox, tenants["fxiaoke"]),
        target=erp_connector(sandbox, tenants["k3cloud"]),
        source_object="AccountObj",
        target_object="BD_Customer",
        options={"parallel_batches": 1, "retry_base_seconds": 0, "retry_cap_seconds": 0},
    )
    make_value_map("account-types", {}, name="Account type → customer type")
    make_mapping(flow, "FName", "name", required=True, position=10)
    make_mapping(
        flow, "FCustTypeId.FNumber", "account_type", "value_map", {"map": "account-types"}, position=20
    )
    with translation.override("zh-hans"):
        sync.run_now(flow, sleep=lambda s: None)
    return SyncRecord.objects.filter(status="failed").first()


def test_the_worker_language_is_stored_and_the_reader_language_is_shown(failed_in_chinese):
    record = failed_in_chinese
    assert "值映射" in record.error_message  # as the worker wrote it
    assert record.error_params["id"] == "Record %(record)s: %(reason)s"
    with translation.override("en"):
        assert "has no entry in value map “account-types”" in record.error_text
        assert "值映射" not in record.error_text
    with translation.override("zh-hans"):
        assert record.error_text == record.error_message


def test_the_timeline_and_the_failures_page_read_in_english(admin_client_csrf, failed_in_chinese):
    record = failed_in_chinese
    for url in (
        reverse("console:record_timeline", args=[record.pk]),
        reverse("console:flow_failures", args=[record.flow_id]),
        reverse("admin:syncjobs_syncrecord_change", args=[record.pk]),
    ):
        page = admin_client_csrf.get(url).content.decode()
        assert "has no entry in value map" in page, url
        assert "值映射" not in page, url


def test_an_attempt_stored_before_the_parameters_reads_as_it_was_written(failed_in_chinese):
    SyncRecord.objects.filter(pk=failed_in_chinese.pk).update(error_params={}, error_message="旧的原因")
    with translation.override("en"):
        assert SyncRecord.objects.get(pk=failed_in_chinese.pk).error_text == "旧的原因"
