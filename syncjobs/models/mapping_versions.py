"""Numbered, immutable snapshots of a flow's mapping rows, taken by every save of the rows and by runs."""

import hashlib
import json

from django.db import transaction

from syncjobs.models.flow import MappingVersion, SyncFlow


def confirmed_unlisted(flow):
    """Target paths of the rows the latest version saved as "not in the metadata"."""
    latest = flow.mapping_versions.order_by("-number").only("unlisted_fields").first()
    return {entry["target_path"] for entry in (latest.unlisted_fields if latest else [])}


def confirmed_unlisted_fields(flow):
    """The field paths the latest version saved as "not in the metadata" (either side)."""
    latest = flow.mapping_versions.order_by("-number").only("unlisted_fields").first()
    return {path for entry in (latest.unlisted_fields if latest else []) for path in entry["fields"]}


def snapshot_rows(flow):
    """The flow's mapping rows as plain dicts, in evaluation order."""
    return [mapping.as_row() for mapping in flow.mappings.order_by("position", "id")]


def fingerprint(rows):
    """A stable hash of snapshot rows: equal rows, equal fingerprint."""
    canonical = json.dumps(rows, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


@transaction.atomic
def record_mapping_version(flow, user=None, unlisted_fields=()):
    """Store a new version if the flow's rows differ from its latest; return ``(version, created)``.

    ``unlisted_fields``: the rows saved although the metadata did not list their fields
    (``[{"target_path", "fields"}]``, see ``syncjobs.services.mapping_checks``), kept on the version.

    Called after every save of mapping rows (admin inlines, imports) and by the engine before
    a run, so a change yields exactly one new version and an unchanged save none. The flow
    row is locked so two saves at once never take the same number.
    """
    SyncFlow.objects.select_for_update().only("pk").get(pk=flow.pk)
    rows = snapshot_rows(flow)
    digest = fingerprint(rows)
    latest = flow.mapping_versions.order_by("-number").first()
    if latest is not None and latest.fingerprint == digest:
        return latest, False
    if latest is None and not rows:
        return None, False
    version = MappingVersion.objects.create(
        flow=flow,
        number=(latest.number + 1) if latest else 1,
        rows=rows,
        fingerprint=digest,
        unlisted_fields=list(unlisted_fields),
        created_by=user if user is not None and user.is_authenticated else None,
    )
    return version, True
