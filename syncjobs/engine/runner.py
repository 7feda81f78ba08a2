"""Running a run: lead it (read the source into batches) or help, work through the batches, close it."""

import logging
import time
from datetime import timedelta

from django.db import reset_queries
from django.db.models import F
from django.utils import timezone

from connectors.errors import ConnectorError
from syncjobs.crypto import CredentialDecryptionError
from syncjobs.engine import batches, dependencies, messages, reader, retry, runs
from syncjobs.engine.context import build_context
from syncjobs.engine.dispatch import InlineDispatcher
from syncjobs.engine.options import OptionsError
from syncjobs.engine.outcomes import BatchLost
from syncjobs.engine.processing import call_delta, call_snapshot, process_batch
from syncjobs.mapping import MappingConfigError
from syncjobs.models import (
    MappingVersion,
    RunPhase,
    RunStatus,
    SyncFlow,
    SyncRun,
    Trigger,
    WriteBack,
    WriteBackStatus,
)
from syncjobs.services.mapping_versions import record_mapping_version

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
        except BatchLost:
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
