"""Payload arithmetic: fingerprints, values by dotted path, comparisons with the target.

A fingerprint is a stable hash of the canonical payload: keys sorted, numbers written
without trailing zeros (``"12.50"`` and ``12.5`` are one amount), so the same content
always gives the same hash whichever process computed it.
"""

import hashlib
import json
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.utils.translation import ngettext


def fingerprint(payload):
    """The SHA-256 of ``payload`` in canonical form."""
    text = json.dumps(_canonical(payload), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def _canonical(value):
    if isinstance(value, dict):
        return {str(key): _canonical(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_canonical(item) for item in value]
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, int | float | Decimal):
        return {"#": _number_text(value)}
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


def _number_text(value):
    number = Decimal(str(value)) if not isinstance(value, Decimal) else value
    if not number.is_finite():
        return str(number)
    text = format(number.normalize(), "f")
    return "0" if text in ("-0", "") else text


def value_at(payload, path):
    """The value at dotted ``path`` (no ``[]``) in ``payload``, or None."""
    value = payload
    for part in path.split("."):
        if not isinstance(value, dict):
            return None
        value = value.get(part)
    return value


def flatten(payload, prefix=""):
    """Header fields as ``{dotted path: value}``; a list of lines becomes one ``path[]`` entry."""
    flat = {}
    for key, value in (payload or {}).items():
        path = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(flatten(value, path + "."))
        elif isinstance(value, list):
            flat[path + "[]"] = value
        else:
            flat[path] = value
    return flat


def comparable_fields(payload):
    """The header field paths a target read must return to compare with ``payload``."""
    return [path for path in flatten(payload) if not path.endswith("[]")]


def same_value(ours, theirs):
    """Whether a payload value equals the target's current one, as people would judge it."""
    if _empty(ours) and _empty(theirs):
        return True
    if isinstance(ours, list) or isinstance(theirs, list):
        return _canonical(ours) == _canonical(theirs)
    ours_number, theirs_number = _as_number(ours), _as_number(theirs)
    if ours_number is not None and theirs_number is not None:
        return ours_number == theirs_number
    return _text(ours) == _text(theirs)


def differences(payload, current):
    """``[(field, current value, new value)]`` for every payload field the target differs in.

    Lines are compared only by count (``path[]``), for people to read: the target returns
    them in another shape (see ``matches_current``).
    """
    found = []
    for path, value in flatten(payload).items():
        theirs = _current(current, path)
        if path.endswith("[]"):
            if not isinstance(theirs, list) or len(theirs) != len(value):
                found.append((path, _count(theirs), _count(value)))
        elif not same_value(value, theirs):
            found.append((path, theirs, value))
    return found


def matches_current(payload, current):
    """Whether writing ``payload`` would change nothing the target shows.

    Detail lines cannot be compared field by field with what a target read returns, so a
    payload with lines never matches: it is written, which is always safe.
    """
    flat = flatten(payload)
    if any(path.endswith("[]") and value for path, value in flat.items()):
        return False
    return not differences(payload, current)


def _current(current, path):
    if path in current:
        return current[path]
    return value_at(current, path.removesuffix("[]"))


def _count(value):
    if not isinstance(value, list):
        return value
    return ngettext("%(count)d line", "%(count)d lines", len(value)) % {"count": len(value)}


def _empty(value):
    return value is None or value == "" or value == [] or value == {}


def _as_number(value):
    if isinstance(value, bool) or value is None:
        return None
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def _text(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value).strip()
