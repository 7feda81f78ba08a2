"""Write planned records to the target: batched, idempotent, retried with backoff, settled.

Per batch: link adopted records, claim creates, then send every create and update in as
few calls as the target allows (K3Cloud: one BatchSave per batch, outcomes mapped back by
DIndex). Transient failures are retried with full-jitter backoff up to the flow's
``max_attempts`` (then the record is ``dead``); a lost answer to a create is settled by
looking the record up; permanent failures fail the record at once with the target's words.
"""

import logging

from connectors.k3cloud.errors import NotOperableError
from syncjobs.adapters.base import TargetRef, WriteItem, WriteResult
from syncjobs.engine import messages, retry, xrefs
from syncjobs.engine.records import open_items
from syncjobs.engine.refused_values import refused_entries
from syncjobs.engine.xrefs import find_existing
from syncjobs.models import RecordAction, RecordStatus

logger = logging.getLogger(__name__)


def write_items(ctx, items, beat=lambda: None):
    """Write every open create and update in ``items``; each ends with an outcome."""
    xrefs.link_adopted(ctx, [item for item in items if item.adopted and item.target and _linkable(item)])
    _remember_unchanged(ctx, items)
    void_deleted(ctx, items)
    apply_audited_rule(ctx, items)
    xrefs.claim_creates(ctx, [item for item in open_items(items) if item.action == RecordAction.CREATE])
    _write_with_retries(ctx, items, beat)


def _linkable(item):
    # Open (to be written), or found equal to the target (unchanged, or our own earlier create).
    return item.open or item.status == RecordStatus.SUCCEEDED


def _remember_unchanged(ctx, items):
    """Records found equal to their target: store the fingerprint, so next time no read is needed."""
    found = [
        item
        for item in items
        if item.status == RecordStatus.SUCCEEDED
        and item.action == RecordAction.UNCHANGED
        and item.xref is not None
        and item.xref.fingerprint != item.fingerprint
    ]
    for item in found:
        xrefs.linked(ctx, item, item.target, item.fingerprint, keep_actions=True)
    xrefs.save(ctx, found)


def void_deleted(ctx, items):
    """Void (or forbid) the target of each source record that was deleted."""
    for item in open_items(items):
        if item.action != RecordAction.VOID:
            continue
        item.attempts += 1
        try:
            ctx.target.void(ctx.flow.target_object, item.target)
        except Exception as error:  # noqa: BLE001 - any failure is this record's, never the run's
            _fail_or_stop(ctx, item, error)
            continue
        item.succeed()


def apply_audited_rule(ctx, items):
    """Updates of documents we audited: un-audit them first, or fail them (flow option)."""
    audited = [
        item
        for item in open_items(items)
        if item.action == RecordAction.UPDATE
        and item.xref is not None
        and "audit" in item.xref.post_actions_done
    ]
    if not audited:
        return
    if ctx.options.audited_update == "fail":
        for item in audited:
            item.fail(messages.audited_refused(item, item.target.number or item.target.id), code="audited")
        return
    unaudit(ctx, audited)


def unaudit(ctx, items):
    """UnAudit the targets of ``items`` in one call; the ones that fail are failed."""
    errors = post_action_call(ctx, {"action": "unaudit"}, [item.target for item in items])
    for item in items:
        error = errors.get(item.target.id)
        if error is not None:
            item.fail(messages.post_action_failed(item, "unaudit", error), code=getattr(error, "code", ""))
            continue
        item.unaudited = True
        item.xref.post_actions_done = [a for a in item.xref.post_actions_done if a in xrefs.ONCE_ACTIONS]
    xrefs.save(ctx, items)


def post_action_call(ctx, step, refs):
    try:
        return ctx.target.post_action(ctx.flow.target_object, step, refs)
    except Exception as error:  # noqa: BLE001 - reported against every ref of the call
        if retry.classify(error) in (retry.PAUSE, retry.DEFER):
            raise retry.stop_for(error, ctx.clock()) from error
        return {ref.id: error for ref in refs}


def _write_with_retries(ctx, items, beat):
    retry.policy(ctx).rounds(lambda attempt: _write_round(ctx, items), before_sleep=beat, after_sleep=beat)


def _write_round(ctx, items):
    """Send every item still to write once; the Retry-After hint if some go again, else None."""
    todo = [item for item in items if item.writes]
    if not todo:
        return None
    results = _send(ctx, todo)
    again, unknown, stop, hint = _apply(ctx, todo, results)
    again += _settle(ctx, unknown)
    xrefs.save(ctx, todo)
    again = _give_up_after_max(ctx, again)
    if stop is not None:
        raise stop
    return (hint or 0) if again else None


def _send(ctx, todo):
    """One ``write`` call per batch-size slice; a whole-call error becomes every item's error."""
    results = {}
    size = ctx.flow.batch_size
    for start in range(0, len(todo), size):
        chunk = todo[start : start + size]
        for item in chunk:
            item.attempts += 1
        try:
            answered = ctx.target.write(ctx.flow.target_object, [_write_item(ctx, item) for item in chunk])
        except Exception as error:  # noqa: BLE001 - a failed call fails its records, not the run
            if not retry.is_connector_error(error):
                logger.exception("Writing to %s failed unexpectedly", ctx.flow.target_object)
            answered = [WriteResult(key=item.record.id, ok=False, error=error) for item in chunk]
        results.update({str(result.key): result for result in answered})
    return results


def _write_item(ctx, item):
    verify = ctx.options.verify_base_data
    if item.action == RecordAction.UPDATE and item.target:
        # Only the mapped fields: the rest of the target record stays as it is.
        return WriteItem(
            key=item.record.id,
            payload=item.payload,
            target_id=item.target.id,
            update_fields=list(item.payload),
            verify_references=verify,
        )
    return WriteItem(key=item.record.id, payload=item.payload, verify_references=verify)


def _apply(ctx, todo, results):
    """Record each result; return (to retry, lost creates, stop exception, retry-after hint)."""
    again, unknown, stop, hint, audited = [], [], None, None, []
    for item in todo:
        result = results.get(item.record.id)
        if result is None or result.ok:
            _written(ctx, item, result)
            continue
        kind = retry.classify(result.error)
        if kind in (retry.PAUSE, retry.DEFER):
            stop = stop or retry.stop_for(result.error, ctx.clock())
            item.attempts -= 1  # the connector refused to try: no attempt spent
        elif kind == retry.UNKNOWN and item.action == RecordAction.CREATE:
            item.stale_claim = True
            unknown.append(item)
        elif kind in (retry.RETRY, retry.UNKNOWN):
            item.last_error = result.error
            hint = max(hint or 0, getattr(result.error, "retry_after", None) or 0) or hint
            again.append(item)
        elif _may_unaudit(ctx, item, result.error):
            audited.append(item)
        else:
            _failed(ctx, item, result.error)
    if audited:
        # One UnAudit for every document of the batch refused as audited, not one per record.
        unaudit(ctx, audited)
        again += [item for item in audited if item.open]
    return again, unknown, stop, hint


def _written(ctx, item, result):
    if result is None:
        item.fail(messages.unreported(item), code="unreported")
        item.stale_claim = item.action == RecordAction.CREATE
        return
    target = result.target or item.target or TargetRef("")
    if item.xref is None:
        item.xref = xrefs.new_reference(ctx, item, target)
        item.xref.save()
    xrefs.linked(ctx, item, target, item.fingerprint)
    item.written = True
    item.succeed(target=item.target, response=result.response)


def _may_unaudit(ctx, item, error):
    # A document audited by someone else: the target refuses the save until it is un-audited.
    return (
        isinstance(error, NotOperableError)
        and item.action == RecordAction.UPDATE
        and not item.unaudited
        and ctx.options.audited_update == "unaudit"
    )


def _failed(ctx, item, error):
    system = ctx.flow.target_connector.get_system_display()
    entries = refused_entries(ctx, item, error)
    if entries:
        message = messages.value_map_entries_refused(item, error, system, entries)
    else:
        message = messages.connector_failed(item, error, system)
    item.fail(
        message,
        code=getattr(error, "code", "") or type(error).__name__,
        field=getattr(error, "field", "") or "",
    )
    item.response = {"error": getattr(error, "details", None) or str(error)}
    if entries:
        # Read by the console to link the record to the entries to correct.
        item.response["value_map_entries"] = [entry.as_dict() for entry in entries]
    if item.action == RecordAction.CREATE and not item.stale_claim:
        xrefs.release_claims([item])


def _settle(ctx, unknown):
    """Creates whose answer was lost: found by match keys → written; not found → send again."""
    if not unknown:
        return []
    for item in unknown:
        item.target = None
    if not ctx.flow.match_keys:
        for item in unknown:
            item.fail(messages.unsettled_create(item), code="outcome_unknown")
        return []
    missing = find_existing(ctx, unknown)
    for item in unknown:
        if item.open and item.target is not None:
            xrefs.linked(ctx, item, item.target, item.fingerprint)
            item.succeed(target=item.target, response={"settled": True})
    return [item for item in missing if item.open]


def _give_up_after_max(ctx, again):
    keep = []
    for item in again:
        if item.attempts < ctx.options.max_attempts:
            keep.append(item)
            continue
        error = getattr(item, "last_error", None)
        item.fail(messages.gave_up(item, error, item.attempts), code="gave_up", status=RecordStatus.DEAD)
        if item.action == RecordAction.CREATE and not item.stale_claim:
            xrefs.release_claims([item])
    return keep


def _fail_or_stop(ctx, item, error):
    kind = retry.classify(error)
    if kind in (retry.PAUSE, retry.DEFER):
        raise retry.stop_for(error, ctx.clock()) from error
    _failed(ctx, item, error)
