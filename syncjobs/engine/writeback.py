"""Write-backs: the target's id or number written onto the source record, through an outbox.

The CRM has no bulk update and allows 100 calls per 20 s, so write-backs never ride on the
main sync: each is a ``WriteBack`` row stored with the batch's outcomes and drained by its
own task, one call per record under the connector's shared rate limit. A record whose
source already holds the value gets no write-back, and the echo of one (the source record
changed by our own write) is recognised by ``echoes`` and not read again.
"""

import random
import time
from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from connectors.retrying import full_jitter
from syncjobs.adapters.clients import adapter_for
from syncjobs.engine import echoes, retry
from syncjobs.mapping.transforms import key_text
from syncjobs.models import RecordStatus, WriteBack, WriteBackStatus

MAX_ATTEMPTS = 5
# A failed write-back waits up to 4, 8, 16 … s, at most 5 minutes, before it is due again.
BACKOFF_BASE_SECONDS = 4.0
BACKOFF_CAP_SECONDS = 300.0
# A Retry-After up to this many seconds is waited out in the drain; longer ones reschedule.
SHORT_PAUSE = 5.0
_CANDIDATES = 20


def values_for(ctx, item):
    """The write-back values ``item`` needs, or ``{}`` when the source holds them already."""
    if item.status != RecordStatus.SUCCEEDED or item.target is None:
        return {}
    wanted = {}
    for field_name, what in ctx.options.write_back.items():
        value = item.target.number if what == "target_number" else item.target.id
        if value and key_text(item.record.data.get(field_name) or "") != key_text(value):
            wanted[field_name] = value
    return wanted


def enqueue(ctx, items):
    """Queue the write-backs of a batch (one pending row per record; newer values replace older)."""
    if not ctx.options.write_back:
        return 0
    wanted = {item.record.id: values for item in items if (values := values_for(ctx, item))}
    if not wanted:
        return 0
    flow = ctx.flow
    pending = WriteBack.objects.filter(
        connector_id=flow.source_connector_id,
        object_name=flow.source_object,
        record_id__in=list(wanted),
        status=WriteBackStatus.PENDING,
    )
    for row in pending:
        row.values = {**row.values, **wanted.pop(row.record_id)}
        row.save(update_fields=["values"])
    WriteBack.objects.bulk_create(
        WriteBack(
            flow=flow,
            connector_id=flow.source_connector_id,
            object_name=flow.source_object,
            record_id=record_id,
            values=values,
        )
        for record_id, values in wanted.items()
    )
    return len(wanted)


@dataclass
class DrainResult:
    done: int = 0
    failed: int = 0
    stopped: str = ""  # why draining stopped early (quota, breaker), if it did


def drain(worker, limit=500, budget_seconds=50.0, clock=timezone.now, sleep=time.sleep, rng=None, flow=None):
    """Send due write-backs, oldest first, until none is due, ``limit`` are sent or time is up.

    Each row is claimed by compare-and-set, so several drainers never send one twice.
    ``flow`` limits the drain to that flow's write-backs.
    """
    result, rng = DrainResult(), rng or random.Random()
    deadline = time.monotonic() + budget_seconds
    adapters = {}
    while result.done + result.failed < limit and time.monotonic() < deadline:
        row = _claim(worker, clock(), flow)
        if row is None:
            break
        adapter = adapters.setdefault(row.connector_id, adapter_for(row.connector))
        stop = _send(row, adapter, worker, clock(), rng, result)
        if isinstance(stop, float):
            sleep(stop)  # the connector asked for a short pause (Retry-After): honour it, then go on
        elif stop:
            result.stopped = stop
            break
    return result


def _claim(worker, now, flow=None):
    due = Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    pending = WriteBack.objects.filter(status=WriteBackStatus.PENDING).filter(due)
    if flow is not None:
        pending = pending.filter(flow=flow)
    candidates = pending.order_by("id").values_list("pk", flat=True)[:_CANDIDATES]
    for pk in candidates:
        claimed = WriteBack.objects.filter(pk=pk, status=WriteBackStatus.PENDING).update(
            status=WriteBackStatus.RUNNING, claimed_by=worker, claimed_at=now, attempts=F("attempts") + 1
        )
        if claimed:
            return WriteBack.objects.select_related("connector").get(pk=pk)
    return None


def _send(row, adapter, worker, now, rng, result):
    try:
        adapter.update_fields(row.object_name, row.record_id, row.values)
    except Exception as error:  # noqa: BLE001 - a failed write-back is this row's, never the drain's
        return _failed(row, error, worker, now, rng, result)
    echoes.written(row.connector_id, row.object_name, row.record_id, row.values)
    _finish(row, worker, status=WriteBackStatus.DONE, done_at=now, error_message="")
    result.done += 1
    return ""


def _failed(row, error, worker, now, rng, result):
    kind = retry.classify(error)
    if kind in (retry.PAUSE, retry.DEFER):
        stop = retry.stop_for(error, now)
        until = getattr(stop, "resets_at", None) or now + timedelta(seconds=stop.retry_after)
        # The connector refused to try: the attempt is given back.
        _finish(
            row, worker, status=WriteBackStatus.PENDING, next_attempt_at=until, attempts=F("attempts") - 1
        )
        return kind
    message = getattr(error, "message", str(error))
    pause = getattr(error, "retry_after", None)
    if kind == retry.RETRY and pause and pause <= SHORT_PAUSE:
        _finish(row, worker, status=WriteBackStatus.PENDING, next_attempt_at=None, attempts=F("attempts") - 1)
        return float(pause)
    if kind in (retry.RETRY, retry.UNKNOWN) and row.attempts < MAX_ATTEMPTS:
        wait = full_jitter(rng, row.attempts, BACKOFF_BASE_SECONDS, BACKOFF_CAP_SECONDS)
        _finish(
            row,
            worker,
            status=WriteBackStatus.PENDING,
            next_attempt_at=now + timedelta(seconds=wait),
            error_message=message,
        )
        return ""
    _finish(row, worker, status=WriteBackStatus.FAILED, error_message=message)
    result.failed += 1
    return ""


def _finish(row, worker, **values):
    if values.get("status") == WriteBackStatus.PENDING:
        _requeue(row, worker, values)
        return
    WriteBack.objects.filter(pk=row.pk, status=WriteBackStatus.RUNNING, claimed_by=worker).update(
        claimed_by="", **values
    )


def _requeue(row, worker, values):
    """Back to pending — or, if newer values were queued meanwhile, folded into that row."""
    with transaction.atomic():
        newer = (
            WriteBack.objects.select_for_update()
            .filter(
                connector_id=row.connector_id,
                object_name=row.object_name,
                record_id=row.record_id,
                status=WriteBackStatus.PENDING,
            )
            .first()
        )
        if newer is None:
            WriteBack.objects.filter(pk=row.pk, status=WriteBackStatus.RUNNING, claimed_by=worker).update(
                claimed_by="", **values
            )
            return
        newer.values = {**row.values, **newer.values}
        newer.next_attempt_at = values.get("next_attempt_at")
        newer.save(update_fields=["values", "next_attempt_at"])
        WriteBack.objects.filter(pk=row.pk, claimed_by=worker).delete()


def reclaim_stale(cutoff):
    """Put back write-backs whose drainer went silent before ``cutoff``."""
    return WriteBack.objects.filter(status=WriteBackStatus.RUNNING, claimed_at__lt=cutoff).update(
        status=WriteBackStatus.PENDING, claimed_by=""
    )


def due_count(now):
    """How many write-backs are waiting to be sent now."""
    due = Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    return WriteBack.objects.filter(status=WriteBackStatus.PENDING).filter(due).count()
