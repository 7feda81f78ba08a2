"""Keeping the database from growing without bound.

Record logs of settled outcomes (succeeded, superseded by a later attempt, ignored, resolved)
are deleted after ``INTEGRATION_HUB_RECORD_RETENTION_DAYS``; failed, dead and waiting records
stay until they are settled, and records with an intervention stay for good. Webhook events older than that go too (replays
are refused for five minutes; the rest is history).
"""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from syncjobs.models import RecordStatus, SyncRecord, WebhookEvent

SETTLED = (RecordStatus.SUCCEEDED, RecordStatus.SUPERSEDED, RecordStatus.IGNORED, RecordStatus.RESOLVED)
# Deleted in slices, so one run never holds a long write lock (SQLite) or a huge transaction.
SLICE = 2000


@dataclass
class Pruned:
    records: int = 0
    webhook_events: int = 0


def prune(now=None, days=None, batch=SLICE):
    """Delete settled record logs and webhook events older than the retention period."""
    now = now or timezone.now()
    days = settings.INTEGRATION_HUB_RECORD_RETENTION_DAYS if days is None else days
    cutoff = now - timedelta(days=days)
    # A record someone intervened on keeps its log: interventions are kept for good.
    records = SyncRecord.objects.filter(status__in=SETTLED, created_at__lt=cutoff, interventions__isnull=True)
    events = WebhookEvent.objects.filter(received_at__lt=cutoff)
    return Pruned(records=_delete_in_slices(records, batch), webhook_events=_delete_in_slices(events, batch))


def _delete_in_slices(queryset, batch):
    deleted = 0
    while True:
        ids = list(queryset.order_by("pk").values_list("pk", flat=True)[:batch])
        if not ids:
            return deleted
        deleted += queryset.model.objects.filter(pk__in=ids).delete()[0]
