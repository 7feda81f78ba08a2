"""One batch, start to finish: plan, write, post-actions, store — timed and counted."""

import logging
import time
from collections import Counter

from connectors.errors import ConnectorError
from syncjobs.engine import batches, dependencies, messages, outcomes, retry
from syncjobs.engine.planner import plan
from syncjobs.engine.postactions import run_post_actions
from syncjobs.engine.records import Item, open_items
from syncjobs.engine.retry import DeferBatch, PauseRun
from syncjobs.engine.writer import write_items
from syncjobs.models import RecordStatus

logger = logging.getLogger(__name__)

# Stops that hand the batch back instead of storing it.
STOPS = (DeferBatch, PauseRun, outcomes.BatchLost)


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
    attempt = 0
    while True:
        attempt += 1
        try:
            return plan(ctx, records, resolve_parents=resolve)
        except ConnectorError as error:
            if (
                retry.classify(error) not in (retry.RETRY, retry.UNKNOWN)
                or attempt >= ctx.options.max_attempts
            ):
                raise
            beat()
            ctx.sleep(retry.backoff(ctx, attempt, getattr(error, "retry_after", None)))


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
