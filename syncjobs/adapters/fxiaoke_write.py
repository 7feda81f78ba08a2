"""Writing Fxiaoke master-detail records: lines out of the payload, lines kept in step on update.

The CRM creates a master with its lines in one atomic call, but its update call takes no
lines: on update each line is matched by position with the master's current lines (in
``_id`` order, the order they were created in) and only differing values are sent; extra
lines are created on the master, surplus ones voided.
"""

from decimal import Decimal, InvalidOperation


def split_details(payload, detail_names=()):
    """``(fields, {detail object: lines})``: a list of objects is a detail object's lines.

    No CRM field holds a list of objects (employee and multi-select fields hold lists of
    text); ``detail_names`` tells an empty list of lines from an empty field.
    """
    data, details = {}, {}
    for key, value in payload.items():
        if key in detail_names and isinstance(value, list):
            details[key] = value
        elif isinstance(value, list) and value and all(isinstance(line, dict) for line in value):
            details[key] = value
        else:
            data[key] = value
    return data, details


def sync_lines(client, detail, master_field, master_id, lines):
    """Make ``master_id``'s ``detail`` lines equal ``lines``, one call per line that changes."""
    current = list(client.query(detail, [(master_field, "EQ", [master_id])]))
    for line, existing in zip(lines, current, strict=False):
        changed = {key: value for key, value in line.items() if not same(existing.get(key), value)}
        if changed:
            client.update(detail, existing["_id"], changed)
    for line in lines[len(current) :]:
        client.create(detail, {**line, master_field: master_id})
    for surplus in current[len(lines) :]:
        client.invalid(detail, surplus["_id"])


def same(current, wanted):
    """Equal as the CRM stores them: ``"2"`` and ``"2.00"`` are the same amount."""
    if current == wanted:
        return True
    try:
        return Decimal(str(current)) == Decimal(str(wanted))
    except (InvalidOperation, ValueError):
        return False
