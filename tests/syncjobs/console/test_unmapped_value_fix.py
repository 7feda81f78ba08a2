"""Fixing a record whose value has no value-map entry: the link, the way back, the re-run offer."""

from html import escape

import pytest
from django.urls import reverse
from django.utils.http import urlencode

from syncjobs.models import RecordStatus, SyncRecord, SyncRun
from syncjobs.services import sync
from tests.syncjobs.console.sandbox_connectors import crm_connector, erp_connector
from tests.syncjobs.factories import make_flow, make_mapping, make_value_map

pytestmark = pytest.mark.django_db


@pytest.fixture
def unmapped(sandbox):
    """Every account fails: the account-type value map has no entry yet."""
    tenants = sandbox.seed(size=3, seed=43)
    flow = make_flow(
        "customers",
        source=crm_connector(sandbox, tenants["fxiaoke"]),
        target=erp_connector(sandbox, tenants["k3cloud"]),
        source_object="AccountObj",
        target_object="BD_Customer",
        options={"parallel_batches": 1, "retry_base_seconds": 0, "retry_cap_seconds": 0},
    )
    value_map = make_value_map("account-types", {}, name="Account type → customer type")
    make_mapping(flow, "FName", "name", required=True, position=10)
    make_mapping(
        flow, "FCustTypeId.FNumber", "account_type", "value_map", {"map": "account-types"}, position=20
    )
    sync.run_now(flow, sleep=lambda s: None)
    return SyncRecord.objects.filter(status=RecordStatus.FAILED).order_by("id").first(), value_map


def timeline(record):
    return reverse("console:record_timeline", args=[record.pk])


def entries_url(record, value_map):
    query = urlencode(
        {
            "flow": record.flow_id,
            "source": "account_type",
            "target": "FCustTypeId.FNumber",
            "next": timeline(record),
        }
    )
    return f"{reverse('console:value_map_entries', args=[value_map.pk])}?{query}"


def test_an_unmapped_value_links_to_the_entries_page_to_add_it(admin_client_csrf, unmapped):
    record, value_map = unmapped
    value = record.source_snapshot["account_type"]
    assert record.response_excerpt["value_map_entries"][0]["map"] == "account-types"
    page = admin_client_csrf.get(timeline(record)).content.decode()
    assert f'href="{escape(entries_url(record, value_map))}"' in page
    assert f"Add an entry for “{value}” to value map “Account type → customer type”" in page
    assert "No value-map entry" in page  # the error code in words


def test_saving_the_entries_comes_back_to_the_record(admin_client_csrf, unmapped):
    record, value_map = unmapped
    page = admin_client_csrf.get(entries_url(record, value_map)).content.decode()
    assert f'href="{escape(timeline(record))}" id="rc-back"' in page
    form = {
        "entries-TOTAL_FORMS": "1",
        "entries-INITIAL_FORMS": "0",
        "entries-0-source_value": record.source_snapshot["account_type"],
        "entries-0-target_value": "KHLB001_SYS",
        "entries-0-note": "",
    }
    response = admin_client_csrf.post_form(entries_url(record, value_map), form)
    assert response.status_code == 302 and response["Location"] == timeline(record)


def test_the_records_a_fix_concerns_are_re_run_from_the_entries_page(admin_client_csrf, unmapped):
    record, value_map = unmapped
    failed = SyncRecord.objects.filter(status=RecordStatus.FAILED).count()
    page = admin_client_csrf.get(entries_url(record, value_map)).content.decode()
    assert f"Re-run the {failed} open records this value map concerns" in page
    url = reverse("console:value_map_rerun", args=[value_map.pk])
    response = admin_client_csrf.post_form(url, {"next": timeline(record)})
    assert response.status_code == 302 and response["Location"] == timeline(record)
    (run,) = SyncRun.objects.filter(options__has_key="ids")
    assert len(run.options["ids"]) == failed


def test_only_people_who_may_re_run_see_the_offer(finance_client, unmapped):
    record, value_map = unmapped
    assert (
        finance_client.post_form(reverse("console:value_map_rerun", args=[value_map.pk]), {}).status_code
        == 403
    )


def test_attempts_count_every_run_that_tried_the_record(
    unmapped, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr("django_q.conf.Conf.SYNC", True)  # the queued re-runs run inline
    record, _value_map = unmapped
    assert record.attempts == 1  # mapped and failed before any call: still one attempt
    for _rerun in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            sync.rerun_records([SyncRecord.objects.filter(source_id=record.source_id).latest("id").pk])
    latest = SyncRecord.objects.filter(source_id=record.source_id).latest("id")
    assert latest.attempts == 3 and latest.status == RecordStatus.FAILED
