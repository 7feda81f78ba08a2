"""Find records that already exist in the target by the flow's match keys, one call per key and page.

Used before every create (adopt what exists instead of making a twin) and to settle a
create whose answer was lost (if the record is there, it was created).
"""

from syncjobs.engine import messages
from syncjobs.engine.payloads import value_at
from syncjobs.engine.records import open_items
from syncjobs.mapping.transforms import is_empty, key_text
from syncjobs.models import Operation, RecordAction


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
