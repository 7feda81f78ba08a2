"""Incremental pulls: ties at the watermark across page boundaries, overlap, full and by-id runs."""

from datetime import timedelta

from django.utils import timezone

from syncjobs.models import SyncFlow, SyncRecord
from tests.syncjobs.engine.conftest import add_accounts, run_now


def same_time(crm, ids, stamp):
    for record_id in ids:
        crm.records["AccountObj"][record_id]["modified_at"] = stamp


def just_now(crm, seconds_ago=30):
    """Stamp every account a few seconds ago, as records saved just before a run are."""
    recent = timezone.now() - timedelta(seconds=seconds_ago)
    for offset, record in enumerate(crm.records["AccountObj"].values()):
        record["modified_at"] = recent + timedelta(milliseconds=offset)
    return recent


def test_records_sharing_the_boundary_timestamp_across_pages_are_synced_exactly_once(customers, crm, erp):
    customers.options = {**customers.options, "page_size": 2}
    customers.save()
    add_accounts(crm, 7)
    tie = just_now(crm) + timedelta(seconds=1)
    same_time(crm, [f"a{i}" for i in range(3, 8)], tie)  # five records, one stamp, three pages

    first = run_now(customers)
    add_accounts(crm, 2, start=8)
    same_time(crm, ["a8", "a9"], tie)  # saved late with the boundary's stamp (clock skew)
    second = run_now(customers)
    third = run_now(customers)

    assert first.created_count == 7 and second.created_count == 2 and third.read_count == 0
    per_record = SyncRecord.objects.values_list("source_id", flat=True)
    assert sorted(per_record) == sorted(f"a{i}" for i in range(1, 10))
    flow = SyncFlow.objects.get(pk=customers.pk)
    assert flow.watermark == tie and sorted(flow.boundary_ids) == sorted(f"a{i}" for i in range(3, 10))


def test_a_late_record_inside_the_overlap_window_is_still_read(customers, crm, erp):
    add_accounts(crm, 3)
    just_now(crm)
    run_now(customers)
    watermark = SyncFlow.objects.get(pk=customers.pk).watermark
    crm.add(
        "AccountObj",
        "late",
        {"account_no": "C0900", "name": "Late"},
        modified_at=watermark - timedelta(minutes=2),
    )

    run = run_now(customers)

    assert run.created_count == 1 and "C0900" in {d["FNumber"] for d in erp.data("BD_Customer").values()}


def test_the_overlap_brings_records_back_but_they_are_not_processed_twice(customers, crm, erp):
    add_accounts(crm, 4)
    just_now(crm)
    run_now(customers)

    run = run_now(customers)

    assert run.read_count == 0 and SyncRecord.objects.count() == 4
    assert crm.count("read") == 2


def test_a_quiet_flow_reads_from_just_past_its_watermark_once_a_read_came_well_after_it(customers, crm, erp):
    add_accounts(crm, 4)  # stamped long ago
    run_now(customers)
    watermark = SyncFlow.objects.get(pk=customers.pk).watermark

    run = run_now(customers)

    assert crm.since[-1] == watermark + timedelta(milliseconds=1)
    assert run.read_count == 0 and crm.count("read") == 2


def test_a_full_run_reads_everything_and_finds_it_unchanged(customers, crm, erp):
    add_accounts(crm, 4)
    run_now(customers)

    run = run_now(customers, full=True)

    assert (run.read_count, run.unchanged_count, run.created_count) == (4, 4, 0)


def test_a_run_of_given_ids_reads_exactly_those(customers, crm, erp):
    add_accounts(crm, 5)

    run = run_now(customers, ids=["a2", "a4", "missing"])

    assert sorted(SyncRecord.objects.filter(run=run).values_list("source_id", flat=True)) == ["a2", "a4"]
    assert SyncFlow.objects.get(pk=customers.pk).watermark is None  # by-id runs leave the watermark


def test_deleted_source_records_are_ignored_or_void_their_target(customers, crm, erp):
    add_accounts(crm, 2)
    run_now(customers)
    crm.records["AccountObj"]["a1"]["deleted"] = True
    crm.records["AccountObj"]["a1"]["modified_at"] = crm.tick()
    customers.options = {**customers.options, "on_source_deleted": "void"}
    customers.save()

    run = run_now(customers)

    assert run.updated_count == 1
    assert erp.records["BD_Customer"]["erp-1"]["status"] == "void"
    assert SyncRecord.objects.get(run=run).action == "void"
