"""Idempotent writes: lost answers settled by lookup, retries with backoff, dead, permanent failures."""

import random

from connectors.errors import PermanentError, RateLimitedError, TransientError
from syncjobs.engine import xrefs
from syncjobs.engine.records import Item, normalised
from syncjobs.models import CrossReference, RecordStatus, RunStatus, SyncRecord
from tests.syncjobs.engine.conftest import add_accounts, lost, run_now


def numbers(erp):
    return sorted(d["FNumber"] for d in erp.data("BD_Customer").values())


def test_a_create_whose_answer_was_lost_is_adopted_not_duplicated(customers, crm, erp):
    add_accounts(crm, 3)
    erp.fail("write", "a2", lost())

    run = run_now(customers)

    assert numbers(erp) == ["C0001", "C0002", "C0003"]
    assert run.created_count == 3 and run.failed_count == 0
    xref = CrossReference.objects.get(source_id="a2")
    assert xref.target_number == "C0002" and xref.claimed_by == ""
    assert SyncRecord.objects.get(run=run, source_id="a2").response_excerpt == {"settled": True}


def test_a_whole_batch_answer_lost_is_settled_with_one_lookup(customers, crm, erp):
    add_accounts(crm, 3)
    for key in ("a1", "a2", "a3"):
        erp.fail("write", key, lost())

    run = run_now(customers)

    assert numbers(erp) == ["C0001", "C0002", "C0003"]
    assert run.created_count == 3
    assert erp.count("find") == 2  # before the create, and once to settle the lost answers


def test_transient_errors_are_retried_with_backoff_then_succeed(customers, crm, erp):
    add_accounts(crm, 2)
    erp.fail("write", "a1", TransientError("busy"), RateLimitedError("slow down", retry_after=2))
    waits = []

    run = run_now(customers, sleep=waits.append)

    assert run.status == RunStatus.SUCCEEDED and numbers(erp) == ["C0001", "C0002"]
    assert SyncRecord.objects.get(run=run, source_id="a1").attempts == 3
    assert waits == [0, 0]  # two backoffs, capped at the flow's 0 s cap


def test_a_record_failing_transiently_max_attempts_times_is_dead_and_visible(customers, crm, erp):
    customers.options = {**customers.options, "max_attempts": 3}
    customers.save()
    add_accounts(crm, 2)
    erp.fail("write", "a1", *[TransientError("timeout") for _ in range(5)])

    run = run_now(customers)

    dead = SyncRecord.objects.get(run=run, source_id="a1")
    assert (dead.status, dead.attempts) == (RecordStatus.DEAD, 3)
    assert "3 attempts" in dead.error_message and "timeout" in dead.error_message
    assert run.status == RunStatus.PARTIAL and numbers(erp) == ["C0002"]
    assert not CrossReference.objects.filter(source_id="a1").exists()  # never sent: no claim left


def test_backoff_waits_grow_exponentially_within_full_jitter_bounds(customers, crm, erp):
    customers.options = {
        **customers.options,
        "retry_base_seconds": 1,
        "retry_cap_seconds": 8,
        "max_attempts": 5,
    }
    customers.save()
    add_accounts(crm, 1)
    erp.fail("write", "a1", *[TransientError("busy") for _ in range(4)])
    waits = []

    run_now(customers, sleep=waits.append, rng=random.Random(3))

    assert len(waits) == 4
    for attempt, wait in enumerate(waits, start=1):
        assert 0 <= wait <= min(8, 2 ** (attempt - 1))


def test_a_permanent_error_fails_the_record_at_once_with_the_targets_words(customers, crm, erp):
    add_accounts(crm, 2)
    erp.fail("write", "a2", PermanentError("客户名称不能为空", field="FName", code=9))

    run = run_now(customers)

    failed = SyncRecord.objects.get(run=run, source_id="a2")
    assert (failed.status, failed.attempts, failed.error_field) == (RecordStatus.FAILED, 1, "FName")
    assert "客户名称不能为空" in failed.error_message and "C0002" in failed.error_message
    assert not CrossReference.objects.filter(source_id="a2").exists()


def test_a_claim_left_by_a_dead_worker_is_settled_by_lookup(customers, crm, erp):
    add_accounts(crm, 2)
    # A worker claimed a1, the ERP created it, then the worker was killed before storing it.
    erp.add("BD_Customer", "erp-existing", {"FNumber": "C0001", "FName": "Account 1"}, number="C0001")
    claim = CrossReference.objects.create(
        flow=customers,
        source_connector=customers.source_connector,
        source_object="AccountObj",
        source_id="a1",
        target_connector=customers.target_connector,
        target_object="BD_Customer",
        claimed_by="otherhost:1:dead",
    )
    CrossReference.objects.filter(pk=claim.pk).update(updated_at=claim.updated_at.replace(year=2020))

    run = run_now(customers)

    assert numbers(erp) == ["C0001", "C0002"]
    claim.refresh_from_db()
    assert claim.target_id == "erp-existing" and claim.claimed_by == ""
    assert run.failed_count == 0


def test_a_fresh_claim_of_a_live_worker_is_left_alone(customers, crm, erp, settings):
    add_accounts(crm, 1)
    CrossReference.objects.create(
        flow=customers,
        source_connector=customers.source_connector,
        source_object="AccountObj",
        source_id="a1",
        target_connector=customers.target_connector,
        target_object="BD_Customer",
        claimed_by="otherhost:1:alive",
    )

    run = run_now(customers)

    assert erp.data("BD_Customer") == {}
    record = SyncRecord.objects.get(run=run, source_id="a1")
    assert record.status == RecordStatus.IGNORED and "another worker" in record.error_message


def test_the_only_record_matching_a_key_is_adopted_and_updated(customers, crm, erp):
    erp.add("BD_Customer", "pre-1", {"FNumber": "C0001", "FName": "Old name"}, number="C0001")
    add_accounts(crm, 1)

    run = run_now(customers)

    assert (run.created_count, run.updated_count) == (0, 1)
    assert erp.data("BD_Customer") == {"pre-1": {"FNumber": "C0001", "FName": "Account 1"}}
    assert CrossReference.objects.get(source_id="a1").target_id == "pre-1"


def test_an_adopted_record_equal_to_the_target_is_not_written(customers, crm, erp):
    erp.add("BD_Customer", "pre-1", {"FNumber": "C0001", "FName": "Account 1"}, number="C0001")
    add_accounts(crm, 1)

    run = run_now(customers)

    assert (run.updated_count, run.unchanged_count) == (0, 1)
    assert erp.count("write") == 0
    assert CrossReference.objects.get(source_id="a1").fingerprint


def test_several_matching_records_fail_the_record_naming_them(customers, crm, erp):
    erp.add("BD_Customer", "x1", {"FNumber": "C0001"}, number="DUP-A")
    erp.add("BD_Customer", "x2", {"FNumber": "C0001"}, number="DUP-B")
    add_accounts(crm, 1)

    run = run_now(customers)

    failed = SyncRecord.objects.get(run=run)
    assert failed.status == RecordStatus.FAILED and failed.error_code == "several_matches"
    assert "DUP-A" in failed.error_message and "DUP-B" in failed.error_message
    assert len(erp.data("BD_Customer")) == 2


def test_claims_are_unique_per_source_record(customers, crm):
    add_accounts(crm, 1)
    record = normalised(crm._source("AccountObj", "a1"))

    class Ctx:
        flow, worker = customers, "w1"

    first, second = Item(record), Item(record)
    assert xrefs.insert(Ctx, [first], lambda item: xrefs.new_reference(Ctx, item)) == []
    assert xrefs.insert(Ctx, [second], lambda item: xrefs.new_reference(Ctx, item)) == [second]
