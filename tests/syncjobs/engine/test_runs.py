"""Runs: one lease per flow, batches shared by compare-and-set, stale workers, quota pauses."""

from datetime import timedelta

from django.utils import timezone

from connectors.errors import CircuitOpenError, QuotaExhaustedError
from syncjobs.engine import batches, runs
from syncjobs.engine.dispatch import InlineDispatcher
from syncjobs.engine.runner import Runner
from syncjobs.models import (
    RecordStatus,
    RunStatus,
    SyncBatch,
    SyncFlow,
    SyncRecord,
    SyncRun,
    Trigger,
)
from syncjobs.operations import control
from syncjobs.services import sync
from tests.syncjobs.engine.conftest import add_accounts, run_now

QUIET = {"sleep": lambda seconds: None}


def test_a_second_request_joins_the_unfinished_run(customers):
    dispatcher = InlineDispatcher()
    first = sync.start_run(customers, dispatcher=dispatcher)
    second = sync.start_run(customers, Trigger.SCHEDULE, dispatcher=dispatcher)
    by_ids = sync.start_run(customers, ids=["a1"], dispatcher=dispatcher)

    # A request for ids joins the queued run too: its ids are read after the changes.
    assert second.pk == first.pk and by_ids.pk == first.pk
    assert SyncRun.objects.get().options == {"also_ids": ["a1"]}


def test_only_the_lease_holder_reads_and_the_next_run_starts_after_it(customers, crm):
    add_accounts(crm, 2)
    first = runs.create_run(customers, Trigger.MANUAL)
    second = runs.create_run(customers, Trigger.MANUAL, full=True)
    assert runs.acquire_lease(customers.pk, first.pk, timezone.now(), 60)

    dispatcher = InlineDispatcher()
    Runner(second.pk, dispatcher=dispatcher, **QUIET).execute()
    second.refresh_from_db()
    assert second.status == RunStatus.QUEUED and not second.batches.exists()

    Runner(first.pk, dispatcher=dispatcher, wait=True, **QUIET).execute()
    assert dispatcher.take_runs() == [second.pk]
    Runner(second.pk, dispatcher=dispatcher, wait=True, **QUIET).execute()
    first.refresh_from_db(), second.refresh_from_db()
    assert (first.status, first.created_count, second.status, second.unchanged_count) == (
        RunStatus.SUCCEEDED,
        2,
        RunStatus.SUCCEEDED,
        2,
    )


def test_a_batch_is_claimed_by_one_worker_only(customers):
    run = runs.create_run(customers, Trigger.MANUAL)
    for seq in (1, 2):
        batches.add_batch(run, seq, [])
    now = timezone.now()

    first, second, third = (batches.claim_next(run.pk, worker, now) for worker in ("w1", "w2", "w3"))

    assert {first.seq, second.seq} == {1, 2} and third is None
    assert not batches.finish(first, "w2", now, {}, {}, {})
    assert batches.finish(first, "w1", now, {}, {}, {})


def test_a_run_whose_worker_died_is_resumed_and_loses_nothing(customers, crm, erp):
    add_accounts(crm, 6)
    run = runs.create_run(customers, Trigger.MANUAL)
    dead = Runner(run.pk, worker="otherhost:1:gone", **QUIET)
    role = runs.take_over(dead.run, dead.worker, timezone.now(), 120)
    dead._prepare(role), dead._lead()
    claimed = batches.claim_next(run.pk, dead.worker, timezone.now())
    assert claimed is not None  # the worker died holding batch 1, and the run's heartbeat stopped
    old = timezone.now() - timedelta(minutes=10)
    SyncRun.objects.filter(pk=run.pk).update(heartbeat_at=old)
    SyncBatch.objects.filter(pk=claimed.pk).update(heartbeat_at=old)

    dispatcher = InlineDispatcher()
    report = sync.reconcile_runs(dispatcher=dispatcher)
    assert report.resumed == [run.pk]
    Runner(run.pk, wait=True, **QUIET).execute()

    run.refresh_from_db()
    assert run.status == RunStatus.SUCCEEDED and run.created_count == 6
    assert sorted(d["FNumber"] for d in erp.data("BD_Customer").values()) == [
        f"C{i:04d}" for i in range(1, 7)
    ]
    assert SyncBatch.objects.get(pk=claimed.pk).claims == 2


def test_a_used_up_daily_quota_pauses_the_run_without_failing_records(customers, crm, erp):
    add_accounts(crm, 5)
    resets = timezone.now() + timedelta(hours=3)
    erp.fail("write", "a4", QuotaExhaustedError("daily quota used up", resets_at=resets))

    paused = run_now(customers)

    assert paused.status == RunStatus.PAUSED and paused.resume_after == resets
    assert not SyncRecord.objects.filter(status__in=[RecordStatus.FAILED, RecordStatus.DEAD]).exists()
    assert SyncFlow.objects.get(pk=customers.pk).watermark is None
    assert sync.reconcile_runs(dispatcher=InlineDispatcher()).resumed == []

    later = Runner(paused.pk, wait=True, clock=lambda: resets + timedelta(seconds=1), **QUIET).execute()

    assert later.status == RunStatus.SUCCEEDED and later.created_count == 5
    assert len(erp.data("BD_Customer")) == 5


def test_an_open_circuit_hands_the_batch_back_without_spending_attempts(customers, crm, erp):
    add_accounts(crm, 2)
    erp.fail("write", "a1", CircuitOpenError("breaker open", retry_after=0.001))

    run = run_now(customers)

    assert run.status == RunStatus.SUCCEEDED and run.created_count == 2
    assert SyncRecord.objects.get(source_id="a1").attempts == 1
    assert SyncBatch.objects.get(run=run).claims == 2


def test_a_source_that_cannot_be_read_fails_the_run_and_keeps_the_watermark(customers, crm):
    from connectors.errors import PermanentError

    add_accounts(crm, 2)
    crm.fail_call("read", PermanentError("no permission on AccountObj"))

    run = run_now(customers)

    assert run.status == RunStatus.FAILED and "no permission on AccountObj" in run.message
    assert SyncFlow.objects.get(pk=customers.pk).watermark is None
    assert run_now(customers).created_count == 2


def test_a_run_put_back_in_the_queue_beside_a_newer_queued_run_joins_it(customers):
    first = sync.start_run(customers, ids=["a1"], dispatcher=InlineDispatcher())
    now = timezone.now()
    assert runs.take_over(first, "worker-1", now, 120) == runs.LEADER
    second = sync.start_run(customers, ids=["a2"], dispatcher=InlineDispatcher())

    runs.requeue(first)  # its lease was taken meanwhile

    first.refresh_from_db(), second.refresh_from_db()
    assert (first.status, second.status) == (RunStatus.SUCCEEDED, RunStatus.QUEUED)
    assert second.options == {"ids": ["a2", "a1"]} and second.request_count == 2
    assert str(second.pk) in first.message


def test_requests_for_a_paused_flow_join_its_held_run_and_resuming_queues_it_once(customers):
    control.pause_flow(customers)
    for ids in (["a1"], ["a2"]):
        control.hold_if_paused(
            sync.start_run(customers, Trigger.WEBHOOK, ids=ids, dispatcher=InlineDispatcher())
        )

    held = SyncRun.objects.get(joinable=True)
    assert held.status == RunStatus.PAUSED and held.options == {"ids": ["a1", "a2"]}
    control.resume_flow(customers, dispatcher=InlineDispatcher())
    assert SyncRun.objects.filter(status=RunStatus.QUEUED, joinable=True).get().pk == held.pk


def test_a_run_put_back_in_the_queue_after_losing_the_lease_is_still_joined(customers):
    queued = sync.start_run(customers, ids=["a1"], dispatcher=InlineDispatcher())
    assert runs.take_over(queued, "worker-1", timezone.now(), 120) == runs.LEADER
    runs.requeue(queued)  # another run took the flow's lease first

    joined = sync.start_run(customers, Trigger.WEBHOOK, ids=["a2"], dispatcher=InlineDispatcher())

    assert joined.pk == queued.pk and SyncRun.objects.count() == 1
    assert SyncRun.objects.get().options == {"ids": ["a1", "a2"]}
