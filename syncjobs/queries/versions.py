"""Mapping versions side by side: which rows changed, and which records a version wrote."""

from dataclasses import dataclass, field

from django.db.models import Count

from syncjobs.models import MappingVersion, RecordAction, RecordStatus, SyncRecord

ROW_FIELDS = ("source_path", "transform", "params", "required", "position", "note")
WRITES = (RecordAction.CREATE, RecordAction.UPDATE, RecordAction.VOID)


@dataclass(frozen=True)
class RowChange:
    """One target field whose row was added, removed or changed between two versions."""

    kind: str  # "added", "removed", "changed"
    target_path: str
    fields: list = field(default_factory=list)  # [(row field, before, after)]
    before: dict | None = None
    after: dict | None = None


def compare_rows(old_rows, new_rows):
    """``RowChange``s from ``old_rows`` to ``new_rows``, rows matched by their target field."""
    old = {row["target_path"]: row for row in old_rows}
    new = {row["target_path"]: row for row in new_rows}
    changes = []
    for target in list(dict.fromkeys([*new, *old])):
        before, after = old.get(target), new.get(target)
        if before is None:
            changes.append(RowChange("added", target, after=after))
        elif after is None:
            changes.append(RowChange("removed", target, before=before))
        else:
            fields = [(n, before.get(n), after.get(n)) for n in ROW_FIELDS if before.get(n) != after.get(n)]
            if fields:
                changes.append(RowChange("changed", target, fields, before, after))
    return changes


def previous_version(version):
    """The version of the same flow just before ``version``, or None."""
    return (
        MappingVersion.objects.filter(flow_id=version.flow_id, number__lt=version.number)
        .order_by("-number")
        .first()
    )


def written_records(version):
    """The records ``version`` wrote to the target (created, updated or voided), newest first."""
    return SyncRecord.objects.filter(
        mapping_version=version, status=RecordStatus.SUCCEEDED, action__in=WRITES
    ).order_by("-id")


def outcome_counts(version):
    """``{(status, action): count}`` of every record evaluated with ``version``; one query."""
    rows = (
        SyncRecord.objects.filter(mapping_version=version)
        .order_by()
        .values("status", "action")
        .annotate(count=Count("id"))
    )
    return {(row["status"], row["action"]): row["count"] for row in rows}
