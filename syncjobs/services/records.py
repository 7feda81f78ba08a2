"""What people do about records that need attention: re-run them in bulk, resolve or ignore them.

Re-runs go through ``syncjobs.services.sync`` (one run per flow for exactly the records'
source ids); a resolution changes only the record's status and is kept, with its reason,
as a ``RecordIntervention``.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from syncjobs.models import (
    InterventionKind,
    ParentWait,
    RecordIntervention,
    RecordStatus,
    SyncRecord,
    Trigger,
)
from syncjobs.queries.failures import OPEN_STATUSES, open_records
from syncjobs.services import sync

# What a person may set an open record to, and the intervention that records it.
MARKS = {RecordStatus.RESOLVED: InterventionKind.RESOLVE, RecordStatus.IGNORED: InterventionKind.IGNORE}
_CHUNK = 500


def rerun_failed(flow, user=None, dispatcher=None):
    """Queue one run of ``flow`` for every record whose latest outcome failed, died or waits.

    Returns the run, or None when nothing needs it.
    """
    return _rerun(flow, open_records(flow), user, dispatcher)


def rerun_error_class(flow, code, field="", user=None, dispatcher=None):
    """Queue one run of ``flow`` for its open records failing with ``code`` on ``field``.

    Meant for after a mapping or data fix that cures one kind of failure. Returns the run,
    or None when no open record has that error.
    """
    return _rerun(flow, open_records(flow, code=code, field=field), user, dispatcher)


def _rerun(flow, records, user, dispatcher):
    source_ids = sorted(set(records.values_list("source_id", flat=True)))
    if not source_ids:
        return None
    return sync.start_run(flow, Trigger.RETRY, ids=source_ids, user=user, dispatcher=dispatcher)


def mark_records(records, status, reason, user):
    """Mark the open ones among ``records`` resolved or ignored, with ``reason``; return how many.

    Records that are no longer open (a later attempt superseded them, or someone marked
    them already) are left alone. A waiting record stops waiting for its parent.
    """
    if status not in MARKS:
        raise ValidationError(_("Records can only be marked resolved or ignored."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Say why: the reason is kept with the record for whoever looks at it later."))
    ids = list(SyncRecord.objects.filter(pk__in=_ids(records)).values_list("pk", flat=True))
    marked = 0
    for start in range(0, len(ids), _CHUNK):
        marked += _mark_chunk(ids[start : start + _CHUNK], status, reason, user)
    return marked


def _ids(records):
    if hasattr(records, "values_list"):
        return list(records.values_list("pk", flat=True))
    return [getattr(record, "pk", record) for record in records]


@transaction.atomic
def _mark_chunk(ids, status, reason, user):
    records = list(
        SyncRecord.objects.select_for_update().filter(pk__in=ids, status__in=OPEN_STATUSES).order_by("pk")
    )
    if not records:
        return 0
    now = timezone.now()
    RecordIntervention.objects.bulk_create(
        RecordIntervention(
            record=record,
            flow_id=record.flow_id,
            source_id=record.source_id,
            kind=MARKS[status],
            reason=reason,
            previous_status=record.status,
            user=user if user is not None and user.is_authenticated else None,
            created_at=now,
        )
        for record in records
    )
    SyncRecord.objects.filter(pk__in=[r.pk for r in records]).update(status=status, updated_at=now)
    _stop_waiting(records)
    return len(records)


def _stop_waiting(records):
    waiting = [r for r in records if r.status == RecordStatus.WAITING]
    by_flow = {}
    for record in waiting:
        by_flow.setdefault(record.flow_id, []).append(record.source_id)
    for flow_id, source_ids in by_flow.items():
        ParentWait.objects.filter(flow_id=flow_id, source_id__in=source_ids).delete()
