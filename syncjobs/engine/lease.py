"""One lease per flow: the run holding it reads the source and moves the watermark.

Every change is a compare-and-set ``UPDATE`` on the lease row, the same on SQLite and
PostgreSQL: taking it succeeds only if it is free, expired or already ours.
"""

from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import Q

from syncjobs.models import FlowLease


def acquire(flow_id, run_id, now, seconds):
    """Take the lease of ``flow_id`` for ``run_id`` (or renew it); True when this run holds it."""
    _ensure_row(flow_id)
    free = Q(run__isnull=True) | Q(run_id=run_id) | Q(expires_at__lt=now)
    taken = FlowLease.objects.filter(Q(flow_id=flow_id) & free).update(
        run_id=run_id, expires_at=now + timedelta(seconds=seconds)
    )
    return taken == 1


def held_by_other(flow_id, run_id, now):
    """Whether another run holds the lease of ``flow_id`` now (a hint; ``acquire`` decides)."""
    free = Q(run__isnull=True) | Q(run_id=run_id) | Q(expires_at__lt=now)
    return FlowLease.objects.filter(flow_id=flow_id).exclude(free).exists()


def renew(flow_id, run_id, now, seconds):
    """Push the expiry forward while the run makes progress; False if the run lost the lease."""
    renewed = FlowLease.objects.filter(flow_id=flow_id, run_id=run_id).update(
        expires_at=now + timedelta(seconds=seconds)
    )
    return renewed == 1


def release(flow_id, run_id):
    """Give the lease up (only if ``run_id`` still holds it)."""
    FlowLease.objects.filter(flow_id=flow_id, run_id=run_id).update(run=None, expires_at=None)


def _ensure_row(flow_id):
    if FlowLease.objects.filter(flow_id=flow_id).exists():
        return
    try:
        with transaction.atomic():
            FlowLease.objects.create(flow_id=flow_id)
    except IntegrityError:
        pass  # another worker created it first
