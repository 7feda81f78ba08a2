"""Store a batch's outcomes: record logs in bulk, run counts, waits and write-backs, atomically.

Everything a batch produced is written in the one transaction that marks the batch done,
so a batch is either fully accounted for or (its worker died) processed again.
"""

from collections import Counter

from django.db import transaction
from django.db.models import F

from syncjobs.engine import batches, dependencies, echoes, writeback
from syncjobs.mapping.errors import visible
from syncjobs.models import ParentWait, RecordAction, RecordStatus, SyncRecord, SyncRun, bulk

# Older outcomes of a record that a newer outcome replaces in the "needs attention" lists.
_OPEN_STATUSES = (RecordStatus.FAILED, RecordStatus.DEAD, RecordStatus.WAITING)
_CHUNK = 500


# What a record's outcome counts as, in the run's counters and in a dry run's report.
OUTCOMES = ("create", "update", "unchanged", "skip", "failed", "waiting")
_RUN_COUNTERS = {
    "create": "created_count",
    "update": "updated_count",
    "unchanged": "unchanged_count",
    "skip": "skipped_count",
    "failed": "failed_count",
    "waiting": "waiting",
}


class BatchLost(Exception):
    """The batch was taken over by another worker (this one was silent too long)."""


def outcome_of(item):
    """Which of ``OUTCOMES`` ``item`` (anything with a ``status`` and an ``action``) counts as."""
    if item.status in (RecordStatus.FAILED, RecordStatus.DEAD):
        return "failed"
    if item.status == RecordStatus.WAITING:
        return "waiting"
    if item.status == RecordStatus.IGNORED:
        return "skip"
    return {
        RecordAction.CREATE: "create",
        RecordAction.UPDATE: "update",
        RecordAction.VOID: "update",
        RecordAction.UNCHANGED: "unchanged",
    }.get(item.action, "skip")


def counts_of(items):
    """What the run's counters gain from ``items``."""
    return dict(Counter(_RUN_COUNTERS[outcome_of(item)] for item in items))


def record_rows(ctx, run, items, now, earlier=None):
    """One ``SyncRecord`` per item, explained for the person who will read it.

    ``earlier`` maps source ids to the attempts their open outcome had counted, so a record
    re-run after failing says how often it was tried in all, not only in this run.
    """
    earlier = earlier or {}
    return [
        SyncRecord(
            run=run,
            flow=ctx.flow,
            mapping_version=ctx.version,
            source_id=item.record.id,
            source_number=visible(item.record.number or "")[:128],  # a NUL fits no text column
            source_modified_at=item.record.modified_at,
            target_id=(item.target.id if item.target else "")[:128],
            target_number=visible((item.target.number or "") if item.target else "")[:128],
            action=item.action or RecordAction.SKIP,
            status=item.status,
            attempts=earlier.get(item.record.id, 0) + _attempts_now(item),
            post_actions_done=list(item.xref.post_actions_done) if item.xref is not None else [],
            waiting_for=item.waiting_for,
            error_code=item.error_code,
            error_field=item.error_field,
            error_message=item.error_message,
            error_params=item.error_params,
            source_snapshot=item.record.data,
            mapped_payload=item.payload or {},
            response_excerpt=item.response,
            created_at=now,
        )
        for item in items
    ]


def store(ctx, run, batch, items, timings, api_calls):
    """Write the batch's outcomes and mark it done; raise ``BatchLost`` if it is no longer ours."""
    now = ctx.clock()
    counts = counts_of(items)
    with transaction.atomic():
        if not batches.finish(batch, ctx.worker, now, counts, timings, api_calls):
            raise BatchLost(batch.pk)
        source_ids = [item.record.id for item in items]
        earlier = _open_attempts(ctx.flow, source_ids)
        _supersede(ctx.flow, source_ids)
        bulk.insert_many(SyncRecord, record_rows(ctx, run, items, now, earlier))
        _store_waits(ctx.flow, items)
        writeback.enqueue(ctx, items)
        echoes.remember(items)
        echoes.target_written(ctx.flow, items)
        _count(run, counts, len(items), now)
    return counts


def _attempts_now(item):
    # A record mapped and failed before any call was still attempted once; one waiting for
    # its parent was not attempted at all.
    if item.status == RecordStatus.WAITING:
        return item.attempts
    return max(item.attempts, 1)


def _open_attempts(flow, source_ids):
    """``{source id: attempts}`` of the open outcomes this batch is about to supersede."""
    found = {}
    for start in range(0, len(source_ids), _CHUNK):
        rows = SyncRecord.objects.filter(
            flow=flow, source_id__in=source_ids[start : start + _CHUNK], status__in=_OPEN_STATUSES
        ).values_list("source_id", "attempts")
        for source_id, attempts in rows:
            found[source_id] = max(found.get(source_id, 0), attempts)
    return found


def _supersede(flow, source_ids):
    for start in range(0, len(source_ids), _CHUNK):
        SyncRecord.objects.filter(
            flow=flow, source_id__in=source_ids[start : start + _CHUNK], status__in=_OPEN_STATUSES
        ).update(status=RecordStatus.SUPERSEDED)


def _store_waits(flow, items):
    waiting = [item for item in items if item.status == RecordStatus.WAITING]
    settled = [item.record.id for item in items if item.status != RecordStatus.WAITING]
    if settled:
        ParentWait.objects.filter(flow=flow, source_id__in=settled).delete()
    if waiting:
        ParentWait.objects.bulk_create(dependencies.wait_rows(flow, waiting), ignore_conflicts=True)


def _count(run, counts, done, now):
    changes = {name: F(name) + value for name, value in counts.items() if name.endswith("_count")}
    SyncRun.objects.filter(pk=run.pk).update(
        progress_done=F("progress_done") + done, heartbeat_at=now, **changes
    )
