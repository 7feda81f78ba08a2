"""A record's timeline: every attempt in order, what changed between them, each outcome in one line."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from syncjobs.models import (
    CrossReference,
    InterventionKind,
    RecordIntervention,
    SyncRecord,
    WriteBack,
    WriteBackStatus,
)
from syncjobs.queries.timeline import record_timeline
from tests.syncjobs.engine.conftest import add_accounts, run_now
from tests.syncjobs.factories import make_cross_reference, make_flow, make_fxiaoke, make_k3cloud, make_run

pytestmark = pytest.mark.django_db


def touch(crm, record_id, **changes):
    record = crm.records["AccountObj"][record_id]
    record["data"].update(changes)
    record["modified_at"] = crm.tick()


def test_each_attempt_is_explained_and_compared_with_the_one_before(customers, crm, erp):
    add_accounts(crm, 1)
    run_now(customers)
    touch(crm, "a1", name="Renamed")
    run_now(customers)
    touch(crm, "a1")
    run_now(customers)

    timeline = record_timeline(customers, "a1")

    assert [a.explanation for a in timeline.attempts] == [
        "Created C0001 in the target.",
        "Updated C0001 in the target.",
        "Unchanged: C0001 already holds this payload; nothing was written.",
    ]
    second = timeline.attempts[1]
    assert [(c.path, c.before, c.after) for c in second.payload_changes] == [
        ("FName", "Account 1", "Renamed")
    ]
    assert [(c.path, c.kind) for c in second.source_changes] == [("name", "changed")]
    assert second.request == {"operation": "Update", "target_id": second.record.target_id}
    assert timeline.attempts[2].request is None
    assert timeline.cross_reference.target_number == "C0001"


def test_a_failure_fixed_later_reads_superseded_with_its_reason(customers, crm, erp):
    crm.add("AccountObj", "a9", {"account_no": "C0009", "name": ""})
    run_now(customers)
    touch(crm, "a9", name="Named")
    run_now(customers)

    first, second = record_timeline(customers, "a9").attempts

    assert first.explanation.startswith(
        "Superseded by a later attempt; this one had not succeeded: Record C0009:"
    )
    assert "FName" in first.explanation
    assert second.explanation == "Created C0009 in the target."
    assert second.payload_changes == []  # the failed attempt had no payload to compare with


@pytest.fixture
def flow():
    return make_flow()


def attempt(flow, **fields):
    values = {"source_id": "s1", "source_number": "CUST1", "status": "failed", "action": "create", **fields}
    return SyncRecord.objects.create(run=make_run(flow), flow=flow, **values)


def explanations(flow):
    return [a.explanation for a in record_timeline(flow, "s1").attempts]


def test_waiting_dead_and_failed_outcomes_say_why(flow):
    attempt(flow, status="waiting", waiting_for="customers C0042 (source_number)")
    attempt(flow, status="dead", attempts=5, error_message="Record CUST1: gave up after 5 attempts")
    attempt(flow, status="failed", error_message="Record CUST1: K3Cloud refused the write: 客户 is required")

    assert explanations(flow) == [
        "Waiting for parent customers C0042 (source_number); it is synced automatically once the parent lands.",
        "Gave up after 5 attempts: Record CUST1: gave up after 5 attempts",
        "Failed because: Record CUST1: K3Cloud refused the write: 客户 is required",
    ]


def test_a_record_resolved_or_ignored_by_a_person_names_them_and_the_reason(flow, integration_admin):
    for status, kind, reason in (
        ("resolved", "resolve", "fixed in K3Cloud"),
        ("ignored", "ignore", "test data"),
    ):
        record = attempt(flow, status=status)
        RecordIntervention.objects.create(
            record=record, flow=flow, source_id="s1", kind=kind, reason=reason, user=integration_admin
        )
    attempt(flow, status="ignored", action="skip", error_message="the source record was deleted")

    assert explanations(flow) == [
        "Resolved by alice: fixed in K3Cloud",
        "Ignored by alice: test data",
        "Skipped: the source record was deleted",
    ]


def test_an_unchanged_record_written_by_the_reverse_flow_is_an_echo(flow):
    reverse = make_flow(
        "products-back",
        source=flow.target_connector,
        target=flow.source_connector,
        source_object=flow.target_object,
        target_object=flow.source_object,
    )
    CrossReference.objects.create(
        flow=reverse,
        source_connector=flow.target_connector,
        source_object=flow.target_object,
        source_id="erp-7",
        target_connector=flow.source_connector,
        target_object=flow.source_object,
        target_id="s1",
    )
    attempt(flow, status="succeeded", action="unchanged", target_number="C1")

    assert explanations(flow) == [
        "Echo suppressed: this record was written by flow “Products-Back”, and it came back with nothing new; "
        "nothing was written."
    ]


def test_an_unchanged_record_after_a_write_back_is_an_echo_of_it(flow):
    done = timezone.now()
    WriteBack.objects.create(
        flow=flow,
        connector=flow.source_connector,
        object_name=flow.source_object,
        record_id="s1",
        values={"erp_no": "C1"},
        status=WriteBackStatus.DONE,
        done_at=done,
    )
    attempt(flow, status="succeeded", action="unchanged", target_number="C1")

    assert explanations(flow)[0].startswith("Echo suppressed: the hub wrote the target's number back")


def test_an_edited_replay_is_marked_and_its_intervention_listed(flow, integration_admin):
    failed = attempt(flow, status="superseded", error_message="Record CUST1: bad")
    replay_run = make_run(flow, options={"ids": ["s1"], "payloads": {"s1": {"FName": "X"}}})
    SyncRecord.objects.create(
        run=replay_run,
        flow=flow,
        source_id="s1",
        status="succeeded",
        action="create",
        mapped_payload={"FName": "X"},
    )
    RecordIntervention.objects.create(
        record=failed,
        flow=flow,
        source_id="s1",
        kind=InterventionKind.REPLAY,
        run=replay_run,
        user=integration_admin,
    )

    first, second = record_timeline(flow, "s1").attempts

    assert [i.kind for i in first.interventions] == ["replay"] and not first.edited
    assert second.edited


def test_the_timeline_costs_the_same_queries_for_2_or_40_attempts(flow):
    attempt(flow)
    attempt(flow)
    with CaptureQueriesContext(connection) as few:
        record_timeline(flow, "s1")
    for _ in range(38):
        attempt(flow)
    with CaptureQueriesContext(connection) as many:
        timeline = record_timeline(flow, "s1")

    assert len(timeline.attempts) == 40
    assert len(many) == len(few)


def test_other_flows_and_records_stay_out_of_the_timeline(flow):
    other = make_flow("other", source=make_fxiaoke("crm2"), target=make_k3cloud("erp2"))
    attempt(flow)
    attempt(flow, source_id="s2")
    attempt(other)
    make_cross_reference(other, "s1", "X1")

    timeline = record_timeline(flow, "s1")

    assert len(timeline.attempts) == 1 and timeline.cross_reference is None
