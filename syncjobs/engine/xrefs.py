"""Finding a source record's target: its cross-reference, else its match keys; and claiming
a create before sending it, then linking what was written.

A claim is a cross-reference with an empty target id and the claiming worker's name,
inserted (unique on the source side) before the create is sent. If the worker dies after
the target committed the create, the next attempt finds the claim, sees its worker is
gone, and looks the record up by the match keys instead of creating it twice.
"""

from django.db import IntegrityError, transaction

from syncjobs.adapters.base import TargetRef
from syncjobs.engine import messages
from syncjobs.engine.payloads import value_at
from syncjobs.engine.records import open_items
from syncjobs.mapping.transforms import is_empty, key_text
from syncjobs.models import CrossReference, Operation, RecordAction, bulk

# Post-actions that must happen once per target record, never again after an update.
ONCE_ACTIONS = frozenset({"allocate", "notify", "notify_owner"})
# What a post-action step changes on a cross-reference.
ACTIONS_FIELD = ("post_actions_done",)
# Marks a target record we adopted and left as it was: post-actions follow our writes, so
# none runs on it until we write it (a customer audited in the ERP stays as it is).
ADOPTED = "adopted"
_SAVED_FIELDS = [
    "flow",
    "source_number",
    "target_id",
    "target_number",
    "fingerprint",
    "post_actions_done",
    "claimed_by",
    "first_synced_at",
    "last_synced_at",
    "updated_at",
]


def new_reference(ctx, item, target=None, fingerprint=""):
    flow = ctx.flow
    untouched = target is not None and fingerprint and fingerprint == item.fingerprint
    return CrossReference(
        post_actions_done=[ADOPTED] if untouched else [],
        flow=flow,
        source_connector_id=flow.source_connector_id,
        source_object=flow.source_object,
        source_id=item.record.id,
        source_number=item.record.number or "",
        target_connector_id=flow.target_connector_id,
        target_object=flow.target_object,
        target_id=target.id if target else "",
        target_number=(target.number or "") if target else "",
        fingerprint=fingerprint,
        claimed_by="" if target else ctx.worker,
    )


def insert(ctx, items, build):
    """Insert ``build(item)`` for each item; return the items whose row conflicted.

    One ``bulk_create`` when nothing conflicts; otherwise row by row, so each conflict is
    pinned to its item (another worker's claim, or a target already linked elsewhere).
    """
    rows = [build(item) for item in items]
    if not rows:
        return []
    try:
        with transaction.atomic():
            bulk.insert_many(CrossReference, rows)
    except IntegrityError:
        return _insert_one_by_one(items, rows)
    _fetch_pks(rows)
    for item, row in zip(items, rows, strict=True):
        item.xref = row
    return []


def _fetch_pks(rows):
    """The primary keys of rows just inserted, found by their (unique) source side."""
    first = rows[0]
    found = dict(
        CrossReference.objects.filter(
            source_connector_id=first.source_connector_id,
            source_object=first.source_object,
            target_connector_id=first.target_connector_id,
            target_object=first.target_object,
            source_id__in=[row.source_id for row in rows],
        ).values_list("source_id", "pk")
    )
    for row in rows:
        row.pk = found[row.source_id]
        row._state.adding = False


def _insert_one_by_one(items, rows):
    conflicts = []
    for item, row in zip(items, rows, strict=True):
        try:
            with transaction.atomic():
                row.save(force_insert=True)
            item.xref = row
        except IntegrityError:
            row.pk = None
            conflicts.append(item)
    return conflicts


def claim_creates(ctx, items):
    """Claim every create: a new claim row, or an earlier stale claim taken over."""
    earlier = [item for item in items if item.xref is not None]
    fresh = [item for item in items if item.xref is None]
    for item in insert(ctx, fresh, lambda item: new_reference(ctx, item)):
        item.skip(messages.in_flight(item))
    for item in earlier:
        if not _take_over(ctx, item.xref):
            item.skip(messages.in_flight(item))


def _take_over(ctx, xref):
    now = ctx.clock()
    taken = CrossReference.objects.filter(
        pk=xref.pk, target_id="", claimed_by=xref.claimed_by, updated_at=xref.updated_at
    ).update(claimed_by=ctx.worker, updated_at=now)
    if taken:
        xref.claimed_by, xref.updated_at = ctx.worker, now
    return taken == 1


def link_adopted(ctx, items):
    """Link each adopted record (matched or counterpart) to its target before it is written."""
    settled = [item for item in items if item.xref is not None]
    new = [item for item in items if item.xref is None]
    # A record found equal to its target holds the payload already; one still to write does not.
    fingerprint = lambda item: item.fingerprint if not item.open else ""  # noqa: E731
    conflicts = insert(ctx, new, lambda item: new_reference(ctx, item, item.target, fingerprint(item)))
    for item in conflicts:
        other = CrossReference.objects.filter(
            target_connector_id=ctx.flow.target_connector_id,
            target_object=ctx.flow.target_object,
            target_id=item.target.id,
            source_connector_id=ctx.flow.source_connector_id,
            source_object=ctx.flow.source_object,
        ).first()
        if other is None:
            item.skip(messages.in_flight(item))
        else:
            item.fail(
                messages.target_taken(
                    item, item.target.number or item.target.id, other.source_number or other.source_id
                ),
                code="target_taken",
            )
    for item in settled:
        linked(ctx, item, item.target, fingerprint(item), keep_actions=True)
    save(ctx, settled)


def linked(ctx, item, target, fingerprint, keep_actions=False):
    """Record on the item's cross-reference that ``target`` now holds its ``fingerprint``."""
    xref, now = item.xref, ctx.clock()
    xref.flow = ctx.flow
    xref.source_number = item.record.number or xref.source_number
    xref.target_id = str(target.id)
    xref.target_number = target.number or xref.target_number
    xref.fingerprint = fingerprint
    xref.claimed_by = ""
    if not keep_actions:
        # A saved document goes back to "created": submit and audit must run again.
        xref.post_actions_done = [name for name in xref.post_actions_done or [] if name in ONCE_ACTIONS]
    xref.first_synced_at = xref.first_synced_at or now
    xref.last_synced_at = now
    xref.updated_at = now
    item.target = TargetRef(xref.target_id, xref.target_number)


def save(ctx, items, fields=_SAVED_FIELDS):
    """Store the cross-references of ``items``: one parameterised UPDATE, executed for many rows.

    ``fields`` narrows what is written when only those changed: a post-action step changes
    no indexed column, so its UPDATE rewrites no index entry.
    """
    rows = [item.xref for item in items if item.xref is not None and item.xref.pk]
    bulk.update_many(CrossReference, rows, fields)


def release_claims(items):
    """Drop the claims of creates that certainly did not happen."""
    pks = [
        item.xref.pk for item in items if item.xref is not None and item.xref.pk and not item.xref.target_id
    ]
    if pks:
        CrossReference.objects.filter(pk__in=pks, target_id="").delete()
    for item in items:
        if item.xref is not None and not item.xref.target_id:
            item.xref = None


def match_targets(ctx, items):
    """Adopt the one existing target of each record about to be created, by its match keys."""
    candidates = [item for item in open_items(items) if item.action == RecordAction.CREATE]
    if ctx.flow.operation == Operation.UPDATE:
        candidates = [item for item in candidates if not item.stale_claim]
    unresolved = find_existing(ctx, candidates)
    for item in candidates:
        if not item.open or item.target is None:
            continue
        if ctx.flow.operation == Operation.CREATE and not item.stale_claim:
            item.skip(messages.exists_for_create_only(item))
            continue
        item.adopted = True
        item.action = RecordAction.UPDATE
    for item in unresolved:
        if ctx.flow.operation == Operation.UPDATE:
            item.skip(messages.missing_target_for_update(item))


def find_existing(ctx, items):
    """Set ``item.target`` where exactly one target record matches; return the items none matched.

    Several matches fail the item with a message naming them.
    """
    remaining = [item for item in items if item.payload is not None]
    for key in ctx.flow.match_keys or []:
        if not remaining:
            break
        remaining = _match_on(ctx, key, remaining)
    return remaining


def _match_on(ctx, key, items):
    values = {}
    for item in items:
        value = value_at(item.payload, key)
        if not is_empty(value):
            values[id(item)] = key_text(value)
    found = _find(ctx, key, sorted(set(values.values())))
    unresolved = []
    for item in items:
        value = values.get(id(item))
        refs = found.get(value, []) if value is not None else []
        if len(refs) == 1:
            item.target = refs[0]
        elif len(refs) > 1:
            item.fail(messages.several_matches(item, key, value, refs), code="several_matches", field=key)
        else:
            unresolved.append(item)
    return unresolved


def _find(ctx, key, values):
    found = {}
    size = ctx.options.page_size
    for start in range(0, len(values), size):
        chunk = values[start : start + size]
        for value, refs in ctx.target.find_by(ctx.flow.target_object, key, chunk).items():
            found.setdefault(key_text(value), []).extend(refs)
    return found
