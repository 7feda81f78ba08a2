"""Running a run: lead it (read the source into batches) or help, work through the batches, close it.

Each batch, start to finish (``process_batch``): plan, write, post-actions, store its
outcomes — timed, and its API calls counted.
"""

import logging
import time
from collections import Counter
from datetime import timedelta

from django.db import reset_queries
from django.db.models import F
from django.utils import timezone

from connectors.errors import ConnectorError
from syncjobs.crypto import CredentialDecryptionError
from syncjobs.engine import batches, dependencies, messages, outcomes, reader, retry, runs
from syncjobs.engine.context import build_context
from syncjobs.engine.dispatch import InlineDispatcher
from syncjobs.engine.options import FlowOptions, OptionsError
from syncjobs.engine.planner import plan
from syncjobs.engine.postactions import run_post_actions
from syncjobs.engine.records import Item, open_items
from syncjobs.engine.writer import write_items
from syncjobs.mapping import MappingConfigError
from syncjobs.models import (
    MappingVersion,
    RecordStatus,
    RunPhase,
    RunStatus,
    SyncFlow,
    SyncRun,
    Trigger,
    WriteBack,
    WriteBackStatus,
)
from syncjobs.models.flow import record_mapping_version

logger = logging.getLogger(__name__)

# How often an idle worker looks for new batches while the reader is still reading.
POLL_SECONDS = 0.2
_SETUP_ERRORS = (OptionsError, MappingConfigError, CredentialDecryptionError, ConnectorError, LookupError)


class Runner:
    """Executes one run in this process, as its leader or as a helper.

    ``wait``: stay until the run is closed (the ``sync`` command), taking over batches of
    workers that went silent; otherwise leave when no batch is free (queue workers).
    ``progress(run)`` is called after each stored batch. ``context`` overrides parts of
    the ``FlowContext`` (clock, sleep, rng) in tests.
    """

    def __init__(self, run_id, worker=None, dispatcher=None, depth=0, wait=False, progress=None, **context):
        self.run = SyncRun.objects.select_related("flow").get(pk=run_id)
        self.worker = worker or runs.new_worker_name()
        self.dispatcher = dispatcher or InlineDispatcher()
        self.depth = depth
        self.wait = wait
        self.progress = progress or (lambda run: None)
        self.overrides = context
        self.clock = context.get("clock", timezone.now)
        self.sleep = context.get("sleep", time.sleep)
        self.helpers_called = False
        self.ctx = None

    def execute(self):
        """Do this worker's share of the run; return the run as it stands afterwards."""
        run = self.run
        if run.status in runs.FINISHED:
            return run
        self._gather()
        role = runs.take_over(run, self.worker, self.clock(), self._stale_seconds())
        if role is None:
            return run
        if not self._prepare(role):
            return run
        if role == runs.LEADER and not self._lead():
            return run
        self._work()
        self._close()
        return run

    # --- setting up --------------------------------------------------------------------
    def _gather(self):
        """Let a run the webhook queued wait out the flow's ``gather_seconds`` before it starts.

        At a few edits a second, a run queued by one push would otherwise be read and closed
        before the next push arrives, so every edit paid for a read of its own. While it waits
        it stays queued and joinable: the pushes of those seconds join it (``runs.join``).
        The wait counts from when the run was queued, on the real clock (an injected clock
        may stand still), and is never longer than the option.
        """
        run = self.run
        if run.status != RunStatus.QUEUED or run.trigger != Trigger.WEBHOOK or not run.joinable:
            return
        try:
            seconds = FlowOptions.of(run.flow).gather_seconds
        except OptionsError:
            return  # the run's set-up fails with the option named
        waited = (timezone.now() - run.queued_at).total_seconds()
        if seconds - waited > 0:
            self.sleep(min(seconds - waited, seconds))
            run.refresh_from_db()

    def _stale_seconds(self):
        options = self.run.flow.options if isinstance(self.run.flow.options, dict) else {}
        value = options.get("lease_seconds", 120.0)
        return value if isinstance(value, int | float) and not isinstance(value, bool) else 120.0

    def _prepare(self, role):
        run = self.run
        try:
            flow = SyncFlow.objects.select_related("source_connector", "target_connector").get(pk=run.flow_id)
            version = self._mapping_version(flow, role)
            self.ctx = build_context(flow, version, run=run, worker=self.worker, **self.overrides)
        except _SETUP_ERRORS as error:
            if role == runs.LEADER:
                runs.fail(run, self.clock(), messages.setup_failed(run.flow, error))
            return False
        return True

    def _mapping_version(self, flow, role):
        run = self.run
        if run.mapping_version_id is None and role == runs.LEADER:
            version, _created = record_mapping_version(flow)
            if version is None:
                raise LookupError(messages.no_mapping(flow))
            SyncRun.objects.filter(pk=run.pk).update(mapping_version=version)
            run.mapping_version = version
        if run.mapping_version_id is None:
            raise LookupError(messages.no_mapping(flow))
        return MappingVersion.objects.get(pk=run.mapping_version_id)

    # --- leading: the lease and the read ---------------------------------------------
    def _lead(self):
        run, now = self.run, self.clock()
        if runs.takes_lease(run) and not runs.acquire_lease(
            run.flow_id, run.pk, now, self.ctx.options.lease_seconds
        ):
            runs.requeue(run)
            return False
        if run.phase in (RunPhase.QUEUED, RunPhase.READING):
            return self._read()
        return True

    def _read(self):
        run, ctx = self.run, self.ctx
        started, calls_before = time.monotonic(), call_snapshot(ctx)
        since = (
            None if runs.is_ids_run(run) else reader.since_for(ctx.flow, ctx.options, run.options.get("full"))
        )
        try:
            reader.read_into_batches(ctx, run, since, run.options.get("ids"), on_batch=self._read_batch)
        except Exception as error:  # noqa: BLE001 - the run stops with a message, never a traceback
            return self._read_failed(error)
        runs.reading_done(run, self.clock(), call_delta(ctx, calls_before), time.monotonic() - started)
        self.progress(run)
        return True

    def _read_batch(self, batch):
        run = self.run
        _forget_queries()
        runs.heartbeat(run, self.clock(), self.ctx.options.lease_seconds)
        if batch is None:
            return
        SyncRun.objects.filter(pk=run.pk).update(read_count=F("read_count") + batch.record_count)
        self.progress(run)
        if not self.helpers_called:
            # The dispatcher decides how many helpers it starts (none for a count of 0).
            self.helpers_called = True
            self.dispatcher.help(run.pk, self.ctx.options.parallel_batches - 1)

    def _read_failed(self, error):
        run, now = self.run, self.clock()
        if isinstance(error, ConnectorError) and retry.classify(error) in (retry.PAUSE, retry.DEFER):
            stop = retry.stop_for(error, now)
            resume = getattr(stop, "resets_at", None) or now + timedelta(seconds=stop.retry_after)
            runs.pause(run, resume, messages.paused(run.flow, error, resume))
            return False
        if not isinstance(error, ConnectorError):
            logger.exception("Reading the source of run %s failed unexpectedly", run.pk)
        runs.fail(run, now, messages.read_failed(run.flow, error))
        return False

    # --- working through the batches -------------------------------------------------
    def _work(self):
        run = self.run
        while True:
            run.refresh_from_db(fields=["status", "phase", "worker", "heartbeat_at"])
            if run.status != RunStatus.RUNNING:
                return
            batch = batches.claim_next(run.pk, self.worker, self.clock())
            if batch is not None:
                self._process(batch)
            elif not self._idle():
                return

    def _idle(self):
        """Nothing to claim now: wait (True) or leave (False)."""
        run, now = self.run, self.clock()
        stale = self._stale_seconds()
        if run.worker != self.worker and runs.is_stale(run, now, stale):
            if runs.take_over(run, self.worker, now, stale) == runs.LEADER:
                return self._lead()
        if run.phase == RunPhase.READING:
            self.sleep(POLL_SECONDS)
            return True
        if self.wait and batches.unfinished(run.pk):
            runs.reclaim_stale_batches(run.pk, now - timedelta(seconds=stale))
            self.sleep(POLL_SECONDS)
            return True
        return False

    def _process(self, batch):
        run, ctx = self.run, self.ctx
        beat = lambda: self._beat(batch)  # noqa: E731
        try:
            items, _counts = process_batch(ctx, run, batch, self._sync_parent, self.depth, beat)
        except retry.PauseRun as stop:
            batches.release(batch, self.worker)
            runs.pause(run, stop.resets_at, messages.paused(run.flow, stop.error, stop.resets_at))
            return
        except retry.DeferBatch as stop:
            until = self.clock() + timedelta(seconds=stop.retry_after)
            batches.release(batch, self.worker, not_before=until)
            return
        except outcomes.BatchLost:
            logger.warning("Batch %s of run %s was taken over by another worker", batch.seq, run.pk)
            return
        self._release_children(items)
        self.progress(run)
        _forget_queries()

    def _beat(self, batch):
        now = self.clock()
        runs.heartbeat(self.run, now, self.ctx.options.lease_seconds)
        batches.heartbeat(batch, self.worker, now)

    def _sync_parent(self, flow, ids):
        """Run ``flow`` for exactly ``ids`` here and now (a child is waiting for them)."""
        parent = runs.create_run(flow, Trigger.DEPENDENCY, ids=ids)
        Runner(
            parent.pk,
            worker=f"{self.worker}/{self.depth + 1}",
            dispatcher=self.dispatcher,
            depth=self.depth + 1,
            wait=True,
            **self.overrides,
        ).execute()

    def _release_children(self, items):
        for flow_id, ids in dependencies.landed_children(self.ctx.flow, items).items():
            child = runs.create_run(SyncFlow.objects.get(pk=flow_id), Trigger.DEPENDENCY, ids=ids)
            self.dispatcher.run(child.pk)

    # --- closing -----------------------------------------------------------------------
    def _close(self):
        run = self.run
        if not runs.finish_if_done(run, self.clock()):
            return
        following = runs.next_queued(run.flow_id)
        if following is not None:
            self.dispatcher.run(following.pk)
        if WriteBack.objects.filter(flow_id=run.flow_id, status=WriteBackStatus.PENDING).exists():
            self.dispatcher.drain_write_backs()
        self.progress(run)


def _forget_queries():
    """Drop the SQL Django logs with ``DEBUG`` on, as it does after each request.

    A run is one long "request": in a development install its log would keep the text of
    every statement, a stored batch's whole payload included, and grow with the load.
    """
    reset_queries()


def execute_run(run_id, **options):
    """Execute run ``run_id`` in this process (see ``Runner``); return the run."""
    return Runner(run_id, **options).execute()


# --- one batch ----------------------------------------------------------------------

# Stops that hand the batch back instead of storing it.
STOPS = (retry.DeferBatch, retry.PauseRun, outcomes.BatchLost)


class Stopwatch:
    """Seconds spent per phase, added up."""

    def __init__(self):
        self.seconds = Counter()
        self.started = time.monotonic()

    def lap(self, phase):
        now = time.monotonic()
        self.seconds[phase] += now - self.started
        self.started = now

    def as_dict(self):
        return {phase: round(value, 3) for phase, value in self.seconds.items()}


def process_batch(ctx, run, batch, sync_parent=None, depth=0, beat=lambda: None):
    """Process ``batch`` and store its outcomes; return ``(items, counts)``.

    ``PauseRun``, ``DeferBatch`` and ``BatchLost`` propagate (the caller hands the batch
    back or lets it go). A fault in one record's data fails that record alone (the planner
    catches it); an unexpected fault of the batch as a whole fails the batch's open records
    with a message that says so, instead of stopping the run.
    """
    watch, calls_before = Stopwatch(), call_snapshot(ctx)
    ctx.batch_retried = batch.claims > 1
    records = batches.load_records(batch)
    items = [Item(record) for record in records]
    try:
        items = _plan(ctx, records, dependencies.resolver(ctx, sync_parent, depth), beat)
        watch.lap("plan")
        beat()
        write_items(ctx, items, beat)
        watch.lap("write")
        run_post_actions(ctx, items, beat)
        watch.lap("post_actions")
    except STOPS:
        raise
    except ConnectorError as error:
        # A call for the whole batch (a lookup, a target read) failed after its retries.
        if retry.classify(error) in (retry.PAUSE, retry.DEFER):
            # An open circuit breaker or a used-up quota: hand the batch back, spend nothing.
            raise retry.stop_for(error, ctx.clock()) from error
        _fail_open(ctx, items, error)
    except Exception as error:  # noqa: BLE001 - a bug must not stop the run: its records fail, visibly
        # Only what serves the whole batch gets here (a lookup query, the write call, storing):
        # faults in one record's data fail that record in the planner and never reach this.
        logger.exception("Batch %s of run %s failed as a whole", batch.seq, run.pk)
        for item in open_items(items):
            item.fail(messages.batch_failed(item, error), code=type(error).__name__[:64])
    counts = outcomes.store(ctx, run, batch, items, watch.as_dict(), call_delta(ctx, calls_before))
    return items, counts


def _plan(ctx, records, resolve, beat):
    """Plan the batch, retrying with backoff when a lookup in the target fails transiently."""
    return retry.policy(ctx).run(
        lambda: plan(ctx, records, resolve_parents=resolve),
        retry_on=(ConnectorError,),
        retry_if=retry.may_pass,
        on_retry=lambda error, attempt: beat(),
    )


def _fail_open(ctx, items, error):
    status = (
        RecordStatus.DEAD if retry.classify(error) in (retry.RETRY, retry.UNKNOWN) else RecordStatus.FAILED
    )
    system = ctx.flow.target_connector.get_system_display()
    for item in open_items(items):
        item.fail(
            messages.batch_call_failed(item, error, system),
            code=getattr(error, "code", "") or "",
            status=status,
        )


def call_snapshot(ctx):
    """Today's API call counters of both connectors (shared by every process of a connector)."""
    return {
        ctx.flow.source_connector.slug: _counts(ctx.source),
        ctx.flow.target_connector.slug: _counts(ctx.target),
    }


def call_delta(ctx, before):
    """Calls made since ``before``, per connector and operation.

    Read from the connectors' shared daily counters: exact for a connector used by one run
    at a time, an upper bound when several runs share it.
    """
    after = call_snapshot(ctx)
    delta = {}
    for connector, counts in after.items():
        changes = {op: n - before.get(connector, {}).get(op, 0) for op, n in counts.items()}
        changes = {op: n for op, n in changes.items() if n > 0}
        if changes:
            delta[connector] = changes
    return delta


def _counts(adapter):
    try:
        return dict(adapter.call_counts() or {})
    except Exception:  # noqa: BLE001 - statistics must never stop a sync
        return {}
