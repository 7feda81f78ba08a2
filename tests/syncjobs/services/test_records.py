"""Records that need attention: bulk re-runs by flow or by error, resolving and ignoring with a reason."""

import random

import pytest
from django.core.exceptions import ValidationError

from syncjobs.engine.dispatch import InlineDispatcher
from syncjobs.models import (
    InterventionKind,
    ParentWait,
    RecordIntervention,
    RecordStatus,
    SyncRecord,
    Trigger,
    ValueMap,
    ValueMapEntry,
)
from syncjobs.services import records, sync
from tests.syncjobs.engine.conftest import add_accounts, run_now
from tests.syncjobs.factories import make_flow, make_mapping, make_records, make_run, make_value_map

pytestmark = pytest.mark.django_db


@pytest.fixture
def flow():
    return make_flow()


def statuses(flow, **counts):
    """``count`` records per status, each status in a run of its own (so source ids differ)."""
    for status, count in counts.items():
        make_records(make_run(flow), count, status=status, error_code=f"{status}-code")


def test_rerun_failed_queues_one_run_for_every_open_record_of_the_flow(flow, integration_admin):
    statuses(flow, failed=2, dead=1, waiting=1, succeeded=3, superseded=1, resolved=1)
    dispatcher = InlineDispatcher()

    run = records.rerun_failed(flow, user=integration_admin, dispatcher=dispatcher)

    wanted = sorted(
        SyncRecord.objects.filter(status__in=["failed", "dead", "waiting"]).values_list(
            "source_id", flat=True
        )
    )
    assert run.options["ids"] == wanted and len(wanted) == 4
    assert (run.trigger, run.requested_by) == (Trigger.RETRY, integration_admin)
    assert dispatcher.take_runs() == [run.pk]


def test_rerun_of_an_error_class_takes_only_its_records(flow):
    make_records(
        make_run(flow), 3, status="failed", error_code="unmapped_value", error_field="FCustTypeId.FNumber"
    )
    make_records(
        make_run(flow), 2, status="failed", error_code="unmapped_value", error_field="FCOUNTRY.FNumber"
    )
    targeted = sorted(
        SyncRecord.objects.filter(error_field="FCustTypeId.FNumber").values_list("source_id", flat=True)
    )

    queued = records.rerun_error_class(
        flow, "unmapped_value", "FCustTypeId.FNumber", dispatcher=InlineDispatcher()
    )

    assert queued.options["ids"] == targeted and len(targeted) == 3


def test_nothing_is_queued_when_no_record_is_open(flow):
    statuses(flow, succeeded=2)

    assert records.rerun_failed(flow, dispatcher=InlineDispatcher()) is None
    assert records.rerun_error_class(flow, "x", "", dispatcher=InlineDispatcher()) is None


def test_marking_records_keeps_who_why_and_the_status_before(flow, integration_admin):
    statuses(flow, failed=2, dead=1, succeeded=1)
    chosen = SyncRecord.objects.exclude(status="succeeded")

    marked = records.mark_records(
        chosen, RecordStatus.RESOLVED, "  fixed by hand in K3Cloud ", integration_admin
    )

    assert marked == 3
    assert set(SyncRecord.objects.values_list("status", flat=True)) == {"resolved", "succeeded"}
    kept = RecordIntervention.objects.order_by("id")
    assert [(i.kind, i.previous_status, i.reason, i.user) for i in kept] == [
        (InterventionKind.RESOLVE, "failed", "fixed by hand in K3Cloud", integration_admin),
        (InterventionKind.RESOLVE, "failed", "fixed by hand in K3Cloud", integration_admin),
        (InterventionKind.RESOLVE, "dead", "fixed by hand in K3Cloud", integration_admin),
    ]


def test_records_no_longer_open_are_left_alone(flow, integration_admin):
    statuses(flow, succeeded=1, superseded=1, ignored=1)

    assert records.mark_records(SyncRecord.objects.all(), "ignored", "duplicate", integration_admin) == 0
    assert not RecordIntervention.objects.exists()


def test_a_reason_is_required_and_only_resolved_or_ignored_can_be_set(flow, integration_admin):
    statuses(flow, failed=1)
    with pytest.raises(ValidationError, match="Say why"):
        records.mark_records(SyncRecord.objects.all(), "ignored", "   ", integration_admin)
    with pytest.raises(ValidationError, match="resolved or ignored"):
        records.mark_records(SyncRecord.objects.all(), "succeeded", "because", integration_admin)
    assert SyncRecord.objects.get().status == "failed"


def test_an_ignored_waiting_record_stops_waiting_for_its_parent(flow, integration_admin):
    statuses(flow, waiting=1)
    record = SyncRecord.objects.get()
    ParentWait.objects.create(
        flow=flow, source_id=record.source_id, parent_flow=flow, parent_by="source_id", parent_value="p1"
    )

    records.mark_records([record], RecordStatus.IGNORED, "customer was closed", integration_admin)

    assert not ParentWait.objects.exists()


def test_a_failure_class_fixed_in_the_value_map_reruns_to_success_and_supersedes_the_failures(
    customers, crm, erp, integration_admin
):
    make_value_map("level", {"A": "VIP"})
    make_mapping(customers, "FLevel", "level", "value_map", {"map": "level"}, position=4)
    add_accounts(crm, 2, level="A")
    add_accounts(crm, 2, start=3, level="B")
    first = run_now(customers)
    assert first.failed_count == 2
    failed = SyncRecord.objects.get(source_id="a3")
    assert (failed.error_code, failed.error_field) == ("unmapped_value", "FLevel")
    ValueMapEntry.objects.create(
        value_map=ValueMap.objects.get(slug="level"), source_value="B", target_value="Key"
    )

    dispatcher = InlineDispatcher()
    retry = records.rerun_error_class(customers, "unmapped_value", "FLevel", integration_admin, dispatcher)
    sync.execute_run(retry.pk, dispatcher=dispatcher, sleep=lambda s: None, rng=random.Random(1))

    retry.refresh_from_db()
    assert (retry.created_count, retry.failed_count) == (2, 0)
    assert sorted(d["FLevel"] for d in erp.data("BD_Customer").values()) == ["Key", "Key", "VIP", "VIP"]
    assert list(
        SyncRecord.objects.filter(source_id="a3").order_by("id").values_list("status", flat=True)
    ) == [
        "superseded",
        "succeeded",
    ]
