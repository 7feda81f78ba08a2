"""A run's batches: added by the reader, claimed by compare-and-set, done with their outcomes.

``claim_next`` is the healthchecks pattern: ``filter(status=PENDING).update(...) == 1`` —
whoever's ``UPDATE`` changes the row owns the batch; the others try the next one. A batch
whose worker stopped sending heartbeats is put back to pending by ``runs.reclaim_stale_batches``.
"""

from django.db.models import F, Q

from syncjobs.engine import records as record_io
from syncjobs.models import BatchStatus, SyncBatch

# How many pending batches a worker looks at per claim attempt.
_CANDIDATES = 8


def add_batch(run, seq, records):
    """Store ``records`` (``SourceRecord``s) as batch ``seq`` of ``run``."""
    stamps = [r.modified_at for r in records if r.modified_at is not None]
    last = max(stamps) if stamps else None
    return SyncBatch.objects.create(
        run=run,
        seq=seq,
        records=[record_io.dump(r) for r in records],
        source_ids=[str(r.id) for r in records],
        record_count=len(records),
        last_modified_at=last,
        last_ids=[str(r.id) for r in records if last is not None and r.modified_at == last],
    )


def claim_next(run_id, worker, now):
    """Claim the next pending batch of the run for ``worker``; the batch, or None if none is free."""
    ready = Q(not_before__isnull=True) | Q(not_before__lte=now)
    candidates = (
        SyncBatch.objects.filter(run_id=run_id, status=BatchStatus.PENDING)
        .filter(ready)
        .order_by("seq")
        .values_list("pk", flat=True)[:_CANDIDATES]
    )
    for pk in candidates:
        claimed = SyncBatch.objects.filter(pk=pk, status=BatchStatus.PENDING).update(
            status=BatchStatus.RUNNING,
            claimed_by=worker,
            claimed_at=now,
            heartbeat_at=now,
            not_before=None,
            claims=F("claims") + 1,
        )
        if claimed == 1:
            return SyncBatch.objects.get(pk=pk)
    return None


def heartbeat(batch, worker, now):
    """Say the batch is still being worked on; False if another worker took it meanwhile."""
    return (
        SyncBatch.objects.filter(pk=batch.pk, status=BatchStatus.RUNNING, claimed_by=worker).update(
            heartbeat_at=now
        )
        == 1
    )


def release(batch, worker, not_before=None):
    """Hand the batch back (e.g. the connector asked us to wait until ``not_before``)."""
    SyncBatch.objects.filter(pk=batch.pk, status=BatchStatus.RUNNING, claimed_by=worker).update(
        status=BatchStatus.PENDING, claimed_by="", not_before=not_before
    )


def finish(batch, worker, now, counts, timings, api_calls):
    """Mark the batch done (call inside the transaction storing its outcomes).

    False when this worker no longer owns it — its claim went stale and another worker
    took it — so the caller rolls its outcomes back instead of storing them twice.
    """
    done = SyncBatch.objects.filter(pk=batch.pk, status=BatchStatus.RUNNING, claimed_by=worker).update(
        status=BatchStatus.DONE,
        records=[],
        finished_at=now,
        heartbeat_at=now,
        counts=counts,
        timings=timings,
        api_calls=api_calls,
    )
    return done == 1


def unfinished(run_id):
    """How many batches of the run are not done yet."""
    return SyncBatch.objects.filter(run_id=run_id).exclude(status=BatchStatus.DONE).count()


def next_seq(run_id):
    """The sequence number the reader gives its next batch."""
    last = SyncBatch.objects.filter(run_id=run_id).order_by("-seq").values_list("seq", flat=True).first()
    return 1 if last is None else last + 1


def held_ids(run_id):
    """Every source id the run's batches already hold (a resuming reader skips them)."""
    held = set()
    for ids in SyncBatch.objects.filter(run_id=run_id).values_list("source_ids", flat=True).iterator():
        held.update(ids)
    return held


def load_records(batch):
    """The batch's source records."""
    return [record_io.load(data) for data in batch.records]
