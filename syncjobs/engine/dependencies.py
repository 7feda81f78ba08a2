"""Records whose parent is not synced yet: sync the parent first, else wait for it.

A lookup that finds no cross-reference names the parent flow, the key it looked up by and
the value (an order's ``account_id`` → flow ``customers``, by ``source_id``). When the key
is the parent's source id, the parent flow is run for exactly those records, in this
process, and the child is mapped again. A child whose parent still is not there gets the
status ``waiting`` with the parent named, and is queued again when the parent lands.
"""

from collections import defaultdict

from django.db.models import Q
from django.utils.translation import gettext as _

from syncjobs.engine import messages
from syncjobs.engine.planner import map_items
from syncjobs.engine.records import open_items
from syncjobs.models import ParentWait, RecordStatus, SyncFlow, SyncRecord

# A parent's own parents are synced too, this many levels deep.
MAX_DEPTH = 3
# Keys by which a parent record can be read from its source system.
_READABLE_BY = ("source_id",)


def resolver(ctx, sync_parent=None, depth=0):
    """``resolve(items)`` for ``planner.plan``: sync missing parents (if allowed), else wait."""

    def resolve(items):
        missing = [item for item in open_items(items) if item.missing]
        if not missing:
            return
        if sync_parent is not None and ctx.options.parent_sync and depth < MAX_DEPTH:
            if _sync_parents(missing, sync_parent):
                map_items(ctx, missing)
        make_waiting([item for item in missing if item.open and item.missing])

    return resolve


def _sync_parents(items, sync_parent):
    wanted = defaultdict(set)
    for item in items:
        for ref in item.missing:
            if ref["by"] in _READABLE_BY:
                wanted[ref["flow"]].add(str(ref["value"]))
    flows = SyncFlow.objects.select_related("source_connector", "target_connector").in_bulk(
        list(wanted), field_name="slug"
    )
    for slug, ids in wanted.items():
        if slug in flows:
            sync_parent(flows[slug], sorted(ids))
    return bool(flows)


def make_waiting(items):
    """Give each item the status ``waiting``, naming its parents and why they are not there."""
    reasons = _parent_reasons([ref for item in items for ref in item.missing])
    for item in items:
        names = [_parent_name(ref, reasons) for ref in item.missing]
        item.wait(
            "; ".join(_short_name(ref) for ref in item.missing), messages.waiting(item, "; ".join(names))
        )


def _short_name(ref):
    return f"{ref['flow']}: {ref['value']}"


def _parent_name(ref, reasons):
    name = _("record “%(value)s” of flow “%(flow)s”") % {"value": ref["value"], "flow": ref["flow"]}
    reason = reasons.get((ref["flow"], str(ref["value"])))
    if reason:
        name = _("%(parent)s (it failed: %(reason)s)") % {"parent": name, "reason": reason}
    return name


def _parent_reasons(refs):
    """The latest failure of each parent record that its own flow could not sync."""
    reasons = {}
    by_flow = defaultdict(set)
    for ref in refs:
        if ref["by"] in ("source_id", "source_number"):
            by_flow[(ref["flow"], ref["by"])].add(str(ref["value"]))
    for (slug, by), values in by_flow.items():
        rows = (
            SyncRecord.objects.filter(flow__slug=slug, **{f"{by}__in": list(values)})
            .filter(status__in=[RecordStatus.FAILED, RecordStatus.DEAD, RecordStatus.WAITING])
            .order_by("-id")
            .values_list(by, "error_message")
        )
        for value, message in rows:
            reasons.setdefault((slug, value), message)
    return reasons


def wait_rows(flow, items):
    """``ParentWait`` rows for the waiting items."""
    parents = SyncFlow.objects.in_bulk(
        {ref["flow"] for item in items for ref in item.missing}, field_name="slug"
    )
    return [
        ParentWait(
            flow=flow,
            source_id=item.record.id,
            parent_flow=parents[ref["flow"]],
            parent_by=ref["by"],
            parent_value=str(ref["value"])[:128],
        )
        for item in items
        for ref in item.missing
        if ref["flow"] in parents
    ]


def landed_children(flow, items):
    """``{child flow id: [source ids]}`` waiting for the records of ``flow`` that just landed.

    The matching wait rows are deleted: each child is queued once.
    """
    keys = defaultdict(set)
    for item in items:
        if item.status != RecordStatus.SUCCEEDED or item.target is None:
            continue
        keys["source_id"].add(item.record.id)
        keys["source_number"].add(item.record.number)
        keys["target_id"].add(item.target.id)
        keys["target_number"].add(item.target.number)
    if not keys:
        return {}
    condition = Q()
    for by, values in keys.items():
        condition |= Q(parent_by=by, parent_value__in=[v for v in values if v])
    waits = ParentWait.objects.filter(parent_flow=flow).filter(condition)
    return take_waits(waits)


def take_waits(waits):
    children = defaultdict(set)
    pks = []
    for pk, flow_id, source_id in waits.values_list("pk", "flow_id", "source_id"):
        children[flow_id].add(source_id)
        pks.append(pk)
    ParentWait.objects.filter(pk__in=pks).delete()
    return {flow_id: sorted(ids) for flow_id, ids in children.items()}
