"""Decide, per source record, what the target needs: create, update, nothing, or a failure.

Read-only: it consults cross-references, the mapping and (for matching and comparing) the
target, but writes nothing anywhere, so the dry run plans exactly as the real run does.
"""

import logging
from datetime import timedelta

from django.db import DatabaseError

from connectors.errors import ConnectorError
from syncjobs.adapters.base import TargetRef
from syncjobs.engine import messages, runs
from syncjobs.engine.context import cross_references_for, fetch_lookups
from syncjobs.engine.payloads import comparable_fields, differences, fingerprint, matches_current
from syncjobs.engine.records import Item, open_items
from syncjobs.engine.refused_values import unmapped_entries
from syncjobs.engine.xrefs import match_targets
from syncjobs.mapping import MappingContext, MappingFailed, apply_mapping, lookup_requests
from syncjobs.mapping.targets import check_payload
from syncjobs.models import CrossReference, Operation, RecordAction, Trigger

_CHUNK = 500
# Faults of what a step stands on, not of the record it looks at: they stop the batch.
BATCH_FAULTS = (DatabaseError, ConnectorError)
logger = logging.getLogger(__name__)


def plan(ctx, records, resolve_parents=None, dry=False):
    """The ``Item``s for ``records``, each with its action or its outcome decided.

    ``resolve_parents(items)`` handles records whose lookups found no parent (the real run
    syncs the parent first, or makes them wait); a dry run passes None and reports them.
    """
    items = [Item(record) for record in records]
    attach_cross_references(ctx, items)
    handle_deleted(ctx, items)
    map_items(ctx, items)
    if resolve_parents is not None:
        resolve_parents(items)
    decide(ctx, items)
    match_targets(ctx, items)
    compare_with_target(ctx, items, dry=dry)
    return items


def attach_cross_references(ctx, items):
    """Give each item its cross-reference; an item without one may be a record we wrote the other way."""
    by_source = {}
    ids = [item.record.id for item in items]
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        for xref in cross_references_for(ctx.flow).filter(source_id__in=chunk):
            by_source[xref.source_id] = xref
    for item in items:
        item.xref = by_source.get(item.record.id)
    _attach_counterparts(ctx, [item for item in items if item.xref is None])


def _attach_counterparts(ctx, items):
    """Records this flow's target once sent to us: adopt the record they came from.

    With customers flowing one way and back the other, the customer we created in the ERP
    comes back as an ERP record; its counterpart is the CRM account it was made from, so
    it updates (or, when equal, leaves alone) that account instead of creating a twin.
    """
    if not items:
        return
    flow = ctx.flow
    reverse = CrossReference.objects.filter(
        source_connector_id=flow.target_connector_id,
        source_object=flow.target_object,
        target_connector_id=flow.source_connector_id,
        target_object=flow.source_object,
        target_id__in=[item.record.id for item in items],
    )
    found = {xref.target_id: xref for xref in reverse}
    for item in items:
        counterpart = found.get(item.record.id)
        if counterpart is not None:
            item.target = TargetRef(counterpart.source_id, counterpart.source_number)
            item.adopted = True


def each_item(items, step):
    """Run ``step(item)`` for every item; an exception fails that item alone, never its batch.

    The steps here look at one record's data, so whatever goes wrong in one (a value no
    rule foresaw, a bug) is that record's problem: it fails, named, and the others go on.
    Calls that serve the whole batch (lookups, target reads) happen outside the steps; a
    database or connector failure inside one is the batch's too, and propagates.
    """
    for item in items:
        try:
            step(item)
        except BATCH_FAULTS:
            raise
        except Exception as error:  # noqa: BLE001 - one record's fault must not fail its batch-mates
            logger.exception("Planning record %s failed unexpectedly", item.record.id)
            item.fail(messages.record_step_failed(item, error), code=type(error).__name__[:64])


def handle_deleted(ctx, items):
    each_item([item for item in open_items(items) if item.record.deleted], lambda item: _deleted(ctx, item))


def _deleted(ctx, item):
    linked = item.xref is not None and item.xref.target_id
    if ctx.options.on_source_deleted == "void" and linked:
        item.action = RecordAction.VOID
        item.target = TargetRef(item.xref.target_id, item.xref.target_number)
    else:
        item.skip(messages.source_deleted(item))


def map_items(ctx, items):
    """Evaluate the mapping for every open item, with one lookup query per key per page.

    Each payload is then checked against the target's fields (``check_payload``): a value
    the target cannot hold fails its record here, before the batch is sent.
    """
    mappable = [item for item in open_items(items) if item.action != RecordAction.VOID]
    if not mappable:
        return
    context = MappingContext(
        value_maps=ctx.value_maps(),
        lookups=fetch_lookups(_lookup_requests(ctx, mappable)),
        timezone=ctx.options.time_zone,
    )
    fields = ctx.target.target_fields(ctx.flow.target_object)
    each_item(mappable, lambda item: map_item(ctx, item, context, fields))


def _lookup_requests(ctx, items):
    """The lookups of every item's record, merged; a record whose data cannot be walked adds none
    (mapping it then fails that record alone, in ``map_item``)."""
    wanted = {}
    for item in items:
        try:
            found = lookup_requests(ctx.mapping, [item.record.data])
        except Exception:  # noqa: BLE001 - the record's own mapping reports the fault
            continue
        for key, values in found.items():
            wanted.setdefault(key, set()).update(values)
    return wanted


def map_item(ctx, item, context, fields=None):
    """Map one item (or take its edited payload) and check it against the target's ``fields``."""
    item.missing = []
    edited = edited_payload(ctx, item)
    try:
        payload = edited if edited is not None else apply_mapping(ctx.mapping, item.record.data, context)
        item.payload = check_payload(payload, fields or {})
    except MappingFailed as exc:
        if exc.missing_references and len(exc.missing_references) == len(exc.errors):
            item.missing = exc.missing_references
        else:
            first = exc.errors[0]
            item.fail(messages.mapping_failed(item, exc), code=first.code, field=first.field)
            entries = unmapped_entries(ctx, exc)
            if entries:  # read by the console to link the record to the entries to add
                item.response = {"value_map_entries": [entry.as_dict() for entry in entries]}
        return
    item.fingerprint = fingerprint(item.payload)


def edited_payload(ctx, item):
    """The payload a person edited for this record and asked to replay, instead of mapping it.

    A replay run carries ``{"payloads": {source id: payload}}`` in its options (see
    ``syncjobs.services.replay``); every other record of every run is mapped as usual.
    """
    if ctx.run is None or not isinstance(ctx.run.options, dict):
        return None
    return (ctx.run.options.get("payloads") or {}).get(item.record.id)


def decide(ctx, items):
    """Create, update, unchanged or skip, from the cross-reference and the fingerprint."""
    undecided = [item for item in open_items(items) if item.action != RecordAction.VOID and not item.missing]
    each_item(undecided, lambda item: _decide(ctx, item))


def _decide(ctx, item):
    xref = item.xref
    if xref is not None and xref.target_id:
        _decide_linked(ctx, item, xref)
    elif xref is not None:
        _decide_claimed(ctx, item, xref)
    elif item.adopted:
        item.action = RecordAction.UPDATE
    else:
        item.action = RecordAction.CREATE


def _decide_linked(ctx, item, xref):
    item.target = TargetRef(xref.target_id, xref.target_number)
    if ctx.flow.operation == Operation.CREATE:
        item.skip(messages.exists_for_create_only(item))
    elif item.fingerprint == xref.fingerprint:
        item.succeed(_written_earlier_in_run(ctx, xref) or RecordAction.UNCHANGED)
    else:
        item.action = RecordAction.UPDATE


def _written_earlier_in_run(ctx, xref):
    """Create or update, when this very run wrote the record before its batch was interrupted.

    A batch handed back (quota, breaker) or taken over from a dead worker is planned
    again; what its first attempt already wrote counts as that write, not as "unchanged".
    """
    started = ctx.run.started_at if ctx.run is not None else None
    if (
        not ctx.batch_retried
        or started is None
        or xref.last_synced_at is None
        or xref.last_synced_at < started
    ):
        return None
    created = xref.first_synced_at is not None and xref.first_synced_at >= started
    return RecordAction.CREATE if created else RecordAction.UPDATE


def _decide_claimed(ctx, item, xref):
    """A create was started earlier: settle it by lookup unless it is still in flight."""
    if not is_stale_claim(ctx, xref):
        item.skip(messages.in_flight(item))
        return
    item.stale_claim = True
    item.action = RecordAction.CREATE
    if not ctx.flow.match_keys and not _explicit_retry(ctx):
        item.fail(messages.unsettled_create(item), code="outcome_unknown")


def is_stale_claim(ctx, xref):
    """Whether the worker that started this create is gone (killed, silent or ourselves)."""
    if not xref.claimed_by or xref.claimed_by == ctx.worker or runs.worker_is_dead(xref.claimed_by):
        return True
    return xref.updated_at < ctx.clock() - timedelta(seconds=ctx.options.lease_seconds)


def _explicit_retry(ctx):
    # An administrator re-running the record has checked the target: create it again.
    return ctx.run is not None and ctx.run.trigger == Trigger.RETRY


def compare_with_target(ctx, items, dry=False):
    """Read the targets of updates that may already hold the payload, and skip equal ones.

    Done for adopted records (matched or counterparts: the write may be an echo of our
    own), for flows with a reverse flow, or when the flow asks for it. A dry run reads
    every update's target, to show its differences field by field.
    """
    checked = [item for item in open_items(items) if item.action == RecordAction.UPDATE]
    if not dry:
        checked = [item for item in checked if _worth_comparing(ctx, item)]
    current = _current_values(ctx, checked)
    compared = [item for item in checked if current.get(item.target.id) is not None]
    each_item(compared, lambda item: _compare(ctx, item, current))


def _compare(ctx, item, current):
    values = current[item.target.id]
    item.diff = differences(item.payload, values)
    if _worth_comparing(ctx, item) and matches_current(item.payload, values):
        if item.stale_claim:
            # Our own earlier create, whose outcome was never stored: it did happen.
            item.succeed(RecordAction.CREATE, response={"settled": True})
        else:
            item.succeed(RecordAction.UNCHANGED)


def _worth_comparing(ctx, item):
    return item.adopted or ctx.options.compare_before_update or ctx.has_reverse_flow()


def _current_values(ctx, items):
    if not items:
        return {}
    fields = sorted({path for item in items for path in comparable_fields(item.payload)})
    ids = list(dict.fromkeys(item.target.id for item in items))
    current = {}
    for start in range(0, len(ids), ctx.options.page_size):
        chunk = ids[start : start + ctx.options.page_size]
        current.update(ctx.target.fetch_current(ctx.flow.target_object, chunk, fields))
    return current
