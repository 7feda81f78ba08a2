"""Check a mapped payload against what the target's fields can hold, before anything is sent.

The target adapter says what it knows of an object's fields (``TargetField`` by mapping
path, ``FSaleOrderEntry[].FQty``); ``check_payload`` then gives text fields text (numbers
written out, never an object or a boolean), checks that numbers fit their field's digits,
and refuses control characters in any text, naming the field, the line and the value. A
field the adapter knows nothing about is checked for control characters only.
"""

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext_lazy as _

from syncjobs.mapping.errors import MappingError, MappingFailed, TransformError

TEXT, DECIMAL, INTEGER = "text", "decimal", "int"
# Tab, line feed and carriage return are text; every other C0 control and DEL is not. A NUL
# cuts text short in C-based storage and neither system shows the others.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_INT_RANGE = (-(2**31), 2**31 - 1)  # a SQL int column, which K3Cloud integer fields are


@dataclass(frozen=True)
class TargetField:
    """What a target field holds: ``kind`` (text, decimal, int) and, for decimals, its digits.

    ``digits`` counts every digit, ``scale`` those after the point, as in SQL ``decimal(23,10)``;
    None when the target does not say (then only the other rule applies).
    """

    kind: str
    digits: int | None = None
    scale: int | None = None

    @property
    def whole_digits(self):
        if self.digits is None:
            return None
        return self.digits - (self.scale or 0)


def check_payload(payload, fields):
    """``payload`` with text fields made text; raise ``MappingFailed`` naming each value that does not fit.

    ``fields``: ``{mapping path (lower case): TargetField}``; paths name lines with ``[]``.
    """
    errors = []
    checked = _walk(payload, "", (), fields, errors)
    if errors:
        raise MappingFailed(errors)
    return checked


def _walk(value, path, index, fields, errors):
    # An object or a list under a known field is that field's (wrong) value, checked whole;
    # elsewhere an object holds sub-fields and a list holds lines.
    known = path.lower() in fields
    if isinstance(value, dict) and not known:
        return {key: _walk(item, _join(path, key), index, fields, errors) for key, item in value.items()}
    if isinstance(value, list) and not known:
        return [
            _walk(item, path + "[]", (*index, position), fields, errors)
            for position, item in enumerate(value)
        ]
    try:
        return _leaf(value, fields.get(path.lower()))
    except TransformError as error:
        errors.append(MappingError(path, error, line=_line(index)))
        return value


def _join(path, key):
    return f"{path}.{key}" if path else str(key)


def _line(index):
    return ".".join(str(position + 1) for position in index) if index else None


def _leaf(value, field):
    if field is None:
        if isinstance(value, str):
            _refuse_controls(value)
        return value
    if value is None or value == "":
        return value
    if field.kind == TEXT:
        return _text(value)
    if field.kind == DECIMAL:
        return _decimal(value, field)
    if field.kind == INTEGER:
        return _integer(value)
    return value


def _text(value):
    if isinstance(value, str):
        _refuse_controls(value)
        return value
    if isinstance(value, bool):
        raise TransformError(
            _(
                "“%(value)s” is true or false but the field takes text; map it with a value map "
                "(e.g. true → “Yes”)"
            ),
            code="not_text",
            value=value,
        )
    if isinstance(value, int | float | Decimal):
        return _number_text(value)
    raise TransformError(
        _("“%(value)s” is not text (a %(kind)s); map a text field of the source instead"),
        code="not_text",
        value=value,
        kind=_kind(value),
    )


def _refuse_controls(text):
    found = _CONTROL.search(text)
    if found is not None:
        raise TransformError(
            _(
                "“%(value)s” holds the control character %(char)s, which the target cannot store; clean the source"
            ),
            code="control_character",
            value=text,
            char=f"U+{ord(found.group()):04X}",
        )


def _number_text(value):
    number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    if not number.is_finite():
        raise TransformError(_("“%(value)s” is not a number that can be written as text"), value=value)
    return format(number, "f") if isinstance(value, float | Decimal) else str(value)


def _kind(value):
    if isinstance(value, dict):
        return _("object")
    if isinstance(value, list | tuple):
        return _("list")
    return type(value).__name__


def _decimal(value, field):
    number = _as_number(value)
    places, whole = _places(number), max(0, number.adjusted() + 1)
    if field.whole_digits is not None and whole > field.whole_digits:
        raise TransformError(
            _("“%(value)s” has %(whole)s digits before the decimal point; the field holds at most %(most)s"),
            code="number_too_large",
            value=value,
            whole=whole,
            most=field.whole_digits,
        )
    if field.scale is not None and places > field.scale:
        raise TransformError(
            _(
                "“%(value)s” has %(places)s decimal places; the field holds at most %(most)s: "
                "round it with the number transform's “decimals”"
            ),
            code="too_many_decimals",
            value=value,
            places=places,
            most=field.scale,
        )
    return value


def _places(number):
    # Trailing zeros are not places ("12.50" has one); counted by hand because normalize()
    # would round a long number to the context's precision first.
    if not number:
        return 0
    digits, exponent = number.as_tuple().digits, number.as_tuple().exponent
    trailing = len(digits) - len("".join(map(str, digits)).rstrip("0"))
    return max(0, -exponent - trailing)


def _integer(value):
    number = _as_number(value)
    if number != number.to_integral_value() or not _INT_RANGE[0] <= number <= _INT_RANGE[1]:
        raise TransformError(
            _("“%(value)s” is not a whole number the field can hold (%(low)s to %(high)s)"),
            code="number_too_large",
            value=value,
            low=_INT_RANGE[0],
            high=_INT_RANGE[1],
        )
    return value


def _as_number(value):
    if isinstance(value, bool) or not isinstance(value, str | int | float | Decimal):
        raise TransformError(_("“%(value)s” is not a number"), code="not_a_number", value=value)
    try:
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(str(value).strip())
    except InvalidOperation as exc:
        raise TransformError(_("“%(value)s” is not a number"), code="not_a_number", value=value) from exc
    if not number.is_finite():
        raise TransformError(_("“%(value)s” is not a number"), code="not_a_number", value=value)
    return number
