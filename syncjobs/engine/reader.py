"""Incremental pulls: read what changed since the watermark, skip what was already synced.

Each pull starts ``overlap_seconds`` before the watermark, so a record saved with a
slightly older timestamp (clock skew, a long transaction) is not missed. What the overlap
brings back a second time is recognised by its (id, change time) in the record logs and
skipped, so records sharing the boundary timestamp are synced exactly once, whichever
page they arrive on.
"""

from dataclasses import replace
from datetime import timedelta

from django.db.models import F
from django.utils.dateparse import parse_datetime

from syncjobs.engine import batches, echoes
from syncjobs.engine.records import normalised
from syncjobs.models import RunStatus, SyncFlow, SyncRecord, SyncRun, Trigger

# Keeps IN lists under every database's parameter limit.
_CHUNK = 500
# Runs whose read of the source went to the end.
FINISHED_READS = (RunStatus.SUCCEEDED, RunStatus.PARTIAL)


def since_for(flow, options, full=False):
    """Where an incremental pull starts (None: read everything).

    Normally the watermark minus the overlap. But when the last run read the source more
    than the overlap after the watermark, every record stamped up to the watermark was
    visible to that read — ties at the watermark included — so the pull starts just past
    it: a quiet flow reads nothing, however many records share its watermark.
    """
    if full or flow.watermark is None:
        return None
    window = timedelta(seconds=options.overlap_seconds)
    last_read = last_read_at(flow)
    if last_read is not None and flow.watermark < last_read - window:
        return flow.watermark + timedelta(milliseconds=1)
    return flow.watermark - window


def last_read_at(flow):
    """When the flow's latest finished incremental or full run started reading, or None.

    A resync of part of the source (its ``scope``) does not count: it saw only its part.
    """
    finished = SyncRun.objects.filter(flow=flow, status__in=FINISHED_READS, started_at__isnull=False)
    for options, started in finished.order_by("-id").values_list("options", "started_at")[:20]:
        if (options or {}).get("ids") is None and not (options or {}).get("scope"):
            return started
    return None


def pull(ctx, since=None, ids=None, scope_filter=None):
    """Pages of normalised source records: changed since ``since``, or exactly ``ids``.

    ``scope_filter``: conditions a resync adds to the flow's own source filter.
    """
    obj, options = ctx.flow.source_object, ctx.read_options()
    if scope_filter:
        options = replace(options, source_filter=_as_list(options.source_filter) + _as_list(scope_filter))
    if ids is not None:
        for start in range(0, len(ids), options.page_size):
            chunk = [str(i) for i in ids[start : start + options.page_size]]
            yield [normalised(r) for r in ctx.source.read_ids(obj, chunk, options)]
        return
    for page in ctx.source.read_changed(obj, since, options):
        yield [normalised(r) for r in page]


def _as_list(conditions):
    # A K3Cloud filter may be one FilterString; a list of strings and conditions is ANDed.
    return [conditions] if isinstance(conditions, str) else list(conditions or [])


def unseen(flow, records):
    """``records`` minus those whose current version was already processed by ``flow``."""
    stamped = [r for r in records if r.modified_at is not None]
    if not stamped:
        return list(records)
    seen = set()
    for start in range(0, len(stamped), _CHUNK):
        chunk = stamped[start : start + _CHUNK]
        seen.update(
            SyncRecord.objects.filter(
                flow=flow,
                source_id__in=[r.id for r in chunk],
                source_modified_at__in={r.modified_at for r in chunk},
            ).values_list("source_id", "source_modified_at")
        )
    boundary = set(flow.boundary_ids or []) if flow.watermark else set()
    return [
        r
        for r in records
        if (r.id, r.modified_at) not in seen and not (r.id in boundary and r.modified_at == flow.watermark)
    ]


def read_into_batches(ctx, run, since=None, ids=None, on_batch=None):
    """Read the source and store it as batches of ``flow.batch_size``; return how many were read.

    A reader resuming a run skips the ids its batches already hold. ``on_batch(batch)`` is
    called after each stored batch (heartbeats, waking helpers). A resync's scope
    (``run.options["scope"]``) replaces ``since`` with its own date and adds its filter. An
    incremental or full run that requests for ids joined reads those ids after the changes
    (``also_ids``), unless the changes brought them already.
    """
    held = batches.held_ids(run.pk)
    seq = batches.next_seq(run.pk)
    size, buffer, count = ctx.flow.batch_size, [], 0
    scope = run.options.get("scope") or {}
    if scope.get("since"):
        since = parse_datetime(scope["since"])
    echoed = Echoed(run)
    for page, skip_seen in _pages(ctx, run, since, ids, held, scope.get("source_filter")):
        fresh = _fresh(page, held, skip_seen=skip_seen, flow=ctx.flow)
        if echoed.wanted:
            fresh = echoed.drop(ctx.flow, fresh)
        buffer.extend(fresh)
        count += len(fresh)
        while len(buffer) >= size:
            seq = _store(run, seq, buffer[:size], on_batch)
            buffer = buffer[size:]
        if on_batch is not None and not fresh:
            on_batch(None)
    if buffer:
        _store(run, seq, buffer, on_batch)
    echoed.save()
    return count


class Echoed:
    """The records of a run's read that only the hub's own writes changed (``engine.echoes``).

    They are left out of the batches and of the read count, and counted as echoes; the
    latest change among them still moves the watermark. A full run and a run of ids a
    person asked for read everything they name.
    """

    def __init__(self, run):
        self.run = run
        self.wanted = not run.options.get("full") and (
            run.options.get("ids") is None or run.trigger == Trigger.WEBHOOK
        )
        self.count, self.latest = 0, None

    def drop(self, flow, records):
        changed, echoes_ = echoes.split(flow, records)
        self.count += len(echoes_)
        for record in echoes_:
            if record.modified_at is not None and (self.latest is None or record.modified_at > self.latest):
                self.latest = record.modified_at
        return changed

    def save(self):
        if not self.count:
            return
        SyncRun.objects.filter(pk=self.run.pk).update(echo_count=F("echo_count") + self.count)
        if self.latest is not None:
            self.run.options = {**self.run.options, "echoes_until": self.latest.isoformat()}
            SyncRun.objects.filter(pk=self.run.pk).update(options=self.run.options)


def _pages(ctx, run, since, ids, held, scope_filter=None):
    """``(page, skip_seen)``: the run's own read, then the ids requests joined into it."""
    skip_seen = ids is None and not run.options.get("full")
    for page in pull(ctx, since, ids, scope_filter):
        yield page, skip_seen
    also = [i for i in run.options.get("also_ids") or [] if i not in held] if ids is None else []
    if also:
        for page in pull(ctx, ids=also):
            yield page, False


def _fresh(page, held, skip_seen, flow):
    fresh = []
    for record in page:
        if record.id not in held:
            held.add(record.id)
            fresh.append(record)
    return unseen(flow, fresh) if skip_seen else fresh


def _store(run, seq, records, on_batch):
    batch = batches.add_batch(run, seq, records)
    if on_batch is not None:
        on_batch(batch)
    return seq + 1


def save_incremental_state(flow_id, watermark, boundary_ids):
    """Move a flow's watermark and the ids seen at it, without a history row per run."""
    SyncFlow.objects.filter(pk=flow_id).update(watermark=watermark, boundary_ids=list(boundary_ids))
