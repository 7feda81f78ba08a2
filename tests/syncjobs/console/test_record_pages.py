"""The record pages: a timeline read in the browser, re-runs, marks and a replay through forms."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from syncjobs.models import InterventionKind, RecordIntervention, SyncRecord, SyncRun, Trigger
from tests.syncjobs.engine.conftest import add_accounts, run_now
from tests.syncjobs.factories import make_flow, make_records, make_run

pytestmark = pytest.mark.django_db


@pytest.fixture
def failed(customers, crm):
    add_accounts(crm, 1)
    crm.add("AccountObj", "a2", {"account_no": "C0002", "name": ""})
    run_now(customers)
    return SyncRecord.objects.get(source_id="a2")


def test_the_timeline_shows_each_step_and_the_explanation(admin_client_csrf, failed):
    page = admin_client_csrf.get(reverse("console:record_timeline", args=[failed.pk])).content.decode()

    assert "Failed because: Record C0002: Field FName: a value is required" in page
    assert "1. Source record" in page and "2. Mapped payload" in page and "3. Request and response" in page
    assert "No payload: the record was not mapped." in page
    assert 'id="rc-rerun"' in page and 'id="rc-replay"' in page


def test_rerun_from_the_timeline_queues_a_retry_run_of_that_record(
    admin_client_csrf, failed, integration_admin
):
    response = admin_client_csrf.post_form(reverse("console:record_rerun", args=[failed.pk]))

    assert response.status_code == 302
    run = SyncRun.objects.latest("id")
    assert (run.trigger, run.options["ids"], run.requested_by) == (Trigger.RETRY, ["a2"], integration_admin)


def test_marking_from_the_timeline_needs_a_reason(admin_client_csrf, failed):
    url = reverse("console:record_mark", args=[failed.pk])
    admin_client_csrf.post_form(url, {"status": "ignored", "reason": ""})
    failed.refresh_from_db()
    assert failed.status == "failed"

    response = admin_client_csrf.post_form(url, {"status": "ignored", "reason": "test account"}, follow=True)

    failed.refresh_from_db()
    assert failed.status == "ignored"
    assert "Ignored by alice: test account" in response.content.decode()


def test_the_replay_form_shows_the_payload_field_by_field_and_replays_the_edit(
    admin_client_csrf, failed, integration_admin
):
    url = reverse("console:record_replay", args=[failed.pk])
    page = admin_client_csrf.get(url).content.decode()
    assert "<code>FNumber</code>" in page and 'value="C0002"' in page
    assert "textarea" in page  # the reason; values are single-line inputs, never a JSON box

    response = admin_client_csrf.post_form(
        url,
        {"value_0": "C0002", "new_path_0": "FName", "new_value_0": "Typed by hand", "reason": "empty in CRM"},
    )

    assert response.status_code == 302
    intervention = RecordIntervention.objects.get()
    assert intervention.kind == InterventionKind.REPLAY and intervention.user == integration_admin
    assert intervention.edited_payload == {"FNumber": "C0002", "FName": "Typed by hand"}
    assert intervention.run.options["payloads"] == {"a2": {"FNumber": "C0002", "FName": "Typed by hand"}}


def test_a_bad_path_in_the_replay_form_is_shown_on_its_field(admin_client_csrf, failed):
    response = admin_client_csrf.post_form(
        reverse("console:record_replay", args=[failed.pk]),
        {"value_0": "C0002", "new_path_0": "FEntity[3].FQty"},
    )

    assert response.status_code == 200
    assert "skips a line" in response.content.decode()
    assert not RecordIntervention.objects.exists()


def test_a_succeeded_record_cannot_be_replayed(admin_client_csrf, customers, crm):
    add_accounts(crm, 1)
    run_now(customers)
    done = SyncRecord.objects.get(source_id="a1")

    response = admin_client_csrf.get(reverse("console:record_replay", args=[done.pk]), follow=True)

    assert "Only failed, dead or waiting records can be replayed." in response.content.decode()


@pytest.fixture
def flow():
    return make_flow()


def test_the_failures_page_groups_errors_and_reruns_one_class(admin_client_csrf, flow):
    make_records(make_run(flow), 3, status="failed", error_code="unmapped_value", error_field="FGroup")
    make_records(make_run(flow), 2, status="dead", error_code="gave_up")
    page = admin_client_csrf.get(reverse("console:flow_failures", args=[flow.pk])).content.decode()
    assert "unmapped_value" in page and "gave_up" in page

    admin_client_csrf.post_form(
        reverse("console:flow_rerun_class", args=[flow.pk]), {"code": "unmapped_value", "field": "FGroup"}
    )

    run = SyncRun.objects.latest("id")
    assert run.trigger == Trigger.RETRY and len(run.options["ids"]) == 3


def test_rerun_all_and_mark_selected_from_the_failures_page(admin_client_csrf, flow):
    make_records(make_run(flow), 4, status="failed", error_code="x")
    chosen = list(SyncRecord.objects.order_by("id").values_list("pk", flat=True)[:2])

    admin_client_csrf.post_form(reverse("console:flow_rerun_all", args=[flow.pk]))
    response = admin_client_csrf.post_form(
        reverse("console:flow_mark", args=[flow.pk]),
        {"records": chosen, "status": "resolved", "reason": "corrected in the ERP"},
        follow=True,
    )

    assert len(SyncRun.objects.latest("id").options["ids"]) == 4
    assert "2 records marked resolved." in response.content.decode()
    assert SyncRecord.objects.filter(status="resolved").count() == 2


def test_records_of_another_flow_cannot_be_marked_through_this_one(admin_client_csrf, flow):
    other = make_flow("other")
    make_records(make_run(other), 1, status="failed")
    foreign = SyncRecord.objects.get()

    admin_client_csrf.post_form(
        reverse("console:flow_mark", args=[flow.pk]),
        {"records": [foreign.pk], "status": "ignored", "reason": "x"},
    )

    assert SyncRecord.objects.get().status == "failed"


def test_the_failures_page_costs_the_same_queries_for_5_or_200_records(admin_client_csrf, flow):
    url = reverse("console:flow_failures", args=[flow.pk])
    make_records(make_run(flow), 5, status="failed", error_code="a")
    admin_client_csrf.get(url)
    with CaptureQueriesContext(connection) as few:
        admin_client_csrf.get(url)
    make_records(make_run(flow), 195, status="failed", error_code="b")
    with CaptureQueriesContext(connection) as many:
        response = admin_client_csrf.get(url)

    assert len(many) == len(few)
    assert len(response.context["page"].object_list) == 50
