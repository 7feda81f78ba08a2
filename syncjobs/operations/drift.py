"""The daily drift check: the fields the flows map, compared with what the systems now say.

A tenant's administrator may delete a field of their own or change its type after a mapping
was saved; the next run would then write into nothing, or write values of the wrong type. Once
a day every enabled flow's source and target metadata is read again (``syncjobs.services.
metadata``, refreshed), and each mapped field is looked up: one that vanished or whose type
changed since it was last read is a drift. The flow is paused (``control.pause_flow``: its runs
are held, so it writes nothing more) and a ``FieldDrift`` is opened, which the
``metadata-drift`` alert cause reports until the flow is resumed and a later check finds the
fields fit. Fields
the version saved as "not in the metadata" are not looked for. A system that cannot be asked
is left for the connection alerts; its flows are not paused for it.
"""

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from syncjobs.models import FieldDrift, Severity, SyncFlow
from syncjobs.models.flow import confirmed_unlisted_fields, snapshot_rows
from syncjobs.operations import control
from syncjobs.operations.notify.causes import Alert, Link, cause
from syncjobs.queries import metadata
from syncjobs.services.mapping_checks import mapped_paths

VANISHED, RETYPED = "vanished", "retyped"


def check_all(now=None):
    """Check every enabled flow; return the ``FieldDrift``s opened or kept open this time."""
    now = now or timezone.now()
    asked = {}
    found = []
    for flow in SyncFlow.objects.filter(enabled=True).select_related("source_connector", "target_connector"):
        changes = flow_drift(flow, asked)
        if changes is None:
            continue
        drift = _record(flow, changes, now)
        if drift is not None:
            found.append(drift)
    return found


def flow_drift(flow, asked=None):
    """``[{"side", "path", "change", "was", "now"}]`` for ``flow``'s mapped fields; None when unknown.

    ``asked`` keeps each object's fresh metadata for the check (one question per object).
    """
    asked = {} if asked is None else asked
    rows = snapshot_rows(flow)
    skipped = confirmed_unlisted_fields(flow)
    changes, known = [], False
    for side, connector, obj in (
        ("source", flow.source_connector, flow.source_object),
        ("target", flow.target_connector, flow.target_object),
    ):
        before, now = _read(connector, obj, asked)
        if now is None:
            continue
        known = True
        for row in rows:
            path = mapped_paths(row)[side]
            if path and path not in skipped:
                change = _change(
                    side, path, metadata.find_field(before, path), metadata.find_field(now, path)
                )
                if change:
                    changes.append(change)
    return changes if known else None


def _read(connector, obj, asked):
    """``(fields as kept before, fields now)`` by path, asked once per object; now is None when unknown."""
    key = (connector.pk, obj)
    if key not in asked:
        before = metadata.by_path(metadata.kept_fields(connector, obj) or [])
        try:
            asked[key] = (before, metadata.by_path(metadata.object_fields(connector, obj, refresh=True)))
        except metadata.MetadataUnavailable:
            asked[key] = (before, None)
    return asked[key]


def _change(side, path, before, now):
    if now is None:
        return {
            "side": side,
            "path": path,
            "change": VANISHED,
            "was": (before or {}).get("type", ""),
            "now": "",
        }
    if before is not None and before["type"] != now["type"]:
        return {"side": side, "path": path, "change": RETYPED, "was": before["type"], "now": now["type"]}
    return None


def _record(flow, changes, now):
    """Open (or keep) the flow's drift and pause it.

    An open drift is cleared once nothing drifts and someone resumed the flow (having looked at
    its rows); while the flow stays paused it stays open, so the alert keeps saying why.
    """
    open_drift = flow.field_drifts.filter(cleared_at=None).first()
    if not changes:
        if open_drift is not None and not control.is_paused(flow):
            FieldDrift.objects.filter(pk=open_drift.pk).update(cleared_at=now)
            return None
        return open_drift
    if open_drift is None:
        open_drift = FieldDrift.objects.create(flow=flow, found_at=now, changes=changes)
    elif open_drift.changes != changes:
        FieldDrift.objects.filter(pk=open_drift.pk).update(changes=changes)
    if not control.is_paused(flow):
        control.pause_flow(flow, now=now)
    return open_drift


def describe_change(change):
    """One line a person reads about one drifted field, saying what to do."""
    values = {"path": change["path"], "was": change["was"], "now": change["now"]}
    if change["change"] == VANISHED:
        return (
            _(
                "“%(path)s” no longer exists in its system: restore the field there, or change the row "
                "in the mapping editor, then resume the flow."
            )
            % values
        )
    return (
        _(
            "“%(path)s” changed its type from %(was)s to %(now)s: check the row's transform in the "
            "mapping editor, then resume the flow."
        )
        % values
    )


@cause("metadata-drift", gettext_lazy("Mapped fields changed in a system"))
def drifted_flows(check):
    """One critical alert per flow paused by an open drift (resuming it clears the alert)."""
    alerts = []
    drifts = list(FieldDrift.objects.filter(cleared_at=None).select_related("flow"))
    paused = control.paused_flow_ids([d.flow_id for d in drifts])
    for drift in (d for d in drifts if d.flow_id in paused):
        flow = drift.flow
        lines = [describe_change(change) for change in drift.changes]
        alerts.append(
            Alert(
                f"metadata-drift:{flow.slug}",
                _("Flow “%(flow)s” paused: mapped fields changed in a system") % {"flow": flow.name},
                "\n".join(lines),
                severity=Severity.CRITICAL,
                flow_ids=(flow.pk,),
                flow_name=flow.name,
                facts=((_("Fields changed"), len(drift.changes)),),
                links=(Link(_("Mapping editor"), "console:mapping_editor", (flow.pk,)),),
            )
        )
    return alerts
