"""A flow's records that need attention, grouped by what went wrong.

Only the open outcomes count (failed, dead, waiting): older failures of a record that was
attempted again are ``superseded``, so each record appears once, with its latest problem.
"""

from dataclasses import dataclass

from django.db.models import Count, Max

from syncjobs.models import RecordStatus, SyncRecord

OPEN_STATUSES = (RecordStatus.FAILED, RecordStatus.DEAD, RecordStatus.WAITING)


@dataclass(frozen=True)
class ErrorClass:
    """Open records sharing an error code and field, with the latest one's message as example."""

    code: str
    field: str
    count: int
    example: str
    example_id: int


def open_records(flow, code=None, field=None, status=None):
    """The flow's open records (optionally of one error class or status), newest first."""
    records = SyncRecord.objects.filter(flow=flow, status__in=[status] if status else OPEN_STATUSES)
    if code is not None:
        records = records.filter(error_code=code, error_field=field or "")
    return records.order_by("-id")


def error_classes(flow, limit=50):
    """The flow's open records grouped by ``(error code, field)``, largest group first; two queries."""
    groups = list(
        open_records(flow)
        .order_by()
        .values("error_code", "error_field")
        .annotate(count=Count("id"), latest=Max("id"))
        .order_by("-count", "error_code", "error_field")[:limit]
    )
    latest = SyncRecord.objects.filter(pk__in=[g["latest"] for g in groups]).only(
        "error_message", "error_params"
    )
    messages = {record.pk: record.error_text for record in latest}  # in the reader's language
    return [
        ErrorClass(g["error_code"], g["error_field"], g["count"], messages.get(g["latest"], ""), g["latest"])
        for g in groups
    ]


def open_counts(flow):
    """``{status: count}`` of the flow's open records."""
    rows = open_records(flow).order_by().values("status").annotate(count=Count("id"))
    counts = {status: 0 for status in OPEN_STATUSES}
    counts.update({row["status"]: row["count"] for row in rows})
    return counts
