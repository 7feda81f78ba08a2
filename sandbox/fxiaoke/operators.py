"""The query operators of ``search_query_info.filters``, evaluated on one record value.

Values are compared by field type: numbers as decimals, dates as ms epochs, the rest as text.
List fields (owner and other employee/department fields, multi-selects) match when any of
their elements does (EQ, IN, HASANYOF, LIKE); CONTAINS needs every filter value among them.

Where the platform leaves the semantics open the sandbox chooses, and says so here [I]:
BETWEEN includes both ends; an empty record value satisfies only IS and the negations
(N, NIN, NLIKE, NBETWEEN, NHASANYOF) — the platform documents this for N; LIKE is case-sensitive.
"""

from decimal import Decimal, InvalidOperation

from sandbox.fxiaoke.errors import illegal_query
from sandbox.fxiaoke.schema.fields import NUMBER_TYPES, TIME_TYPES

OPERATORS = (
    "EQ", "N", "GT", "GTE", "LT", "LTE", "LIKE", "NLIKE", "IS", "ISN", "IN", "NIN",
    "BETWEEN", "NBETWEEN", "STARTWITH", "ENDWITH", "CONTAINS", "HASANYOF", "NHASANYOF",
)  # fmt: skip
NEGATIONS = frozenset({"N", "NIN", "NLIKE", "NBETWEEN", "NHASANYOF"})
SINGLE_VALUE = frozenset({"EQ", "N", "GT", "GTE", "LT", "LTE", "LIKE", "NLIKE", "STARTWITH", "ENDWITH"})
TEXT_ONLY = frozenset({"LIKE", "NLIKE", "STARTWITH", "ENDWITH"})
RANGE = frozenset({"GT", "GTE", "LT", "LTE", "BETWEEN", "NBETWEEN"})
LIST_OPERATORS = frozenset(
    {"EQ", "N", "IN", "NIN", "HASANYOF", "NHASANYOF", "CONTAINS", "LIKE", "NLIKE", "IS", "ISN"}
)
# System fields whose type is not their describe type for comparisons.
NUMERIC_SYSTEM_FIELDS = frozenset({"version"})


def kind_of(field):
    """How values of ``field`` compare: "number", "time", "bool", "list" or "text"."""
    if field.type in NUMBER_TYPES or field.api_name in NUMERIC_SYSTEM_FIELDS:
        return "number"
    if field.type in TIME_TYPES:
        return "time"
    if field.type == "true_or_false":
        return "bool"
    if field.is_list:
        return "list"
    return "text"


def check(field, operator, values):
    """Refuse an operator the field's type cannot take, or the wrong number of values."""
    kind = kind_of(field)
    if operator not in OPERATORS:
        raise illegal_query(f"unknown operator {operator!r} (known: {', '.join(OPERATORS)})")
    if kind == "list" and operator not in LIST_OPERATORS:
        raise illegal_query(f"operator {operator} does not apply to list field {field.api_name}")
    if kind in ("number", "time", "bool") and operator in TEXT_ONLY | {"CONTAINS"}:
        raise illegal_query(f"operator {operator} does not apply to {field.type} field {field.api_name}")
    if kind == "bool" and operator in RANGE:
        raise illegal_query(f"operator {operator} does not apply to true_or_false field {field.api_name}")
    if operator in SINGLE_VALUE and len(values) != 1:
        raise illegal_query(f"operator {operator} takes exactly one value in field_values ({field.api_name})")
    if operator in ("BETWEEN", "NBETWEEN") and len(values) != 2:
        raise illegal_query(f"operator {operator} takes two values in field_values ({field.api_name})")
    if operator in ("IN", "NIN", "HASANYOF", "NHASANYOF", "CONTAINS") and not values:
        raise illegal_query(
            f"operator {operator} needs at least one value in field_values ({field.api_name})"
        )


def parse_values(field, values):
    """The filter values as comparable Python values."""
    kind = kind_of(field)
    return [_coerce(kind, value, field.api_name) for value in values]


def _coerce(kind, value, name):
    try:
        if kind == "number":
            return Decimal(str(value))
        if kind == "time":
            return int(value)
        if kind == "bool":
            return value if isinstance(value, bool) else {"true": True, "false": False}[str(value).lower()]
    except (InvalidOperation, ValueError, KeyError):
        raise illegal_query(f"{value!r} is not a valid value for {name}") from None
    return str(value)


def record_value(field, raw):
    """A stored value as a comparable Python value; None when the field is empty."""
    if raw is None or raw == "" or raw == []:
        return None
    kind = kind_of(field)
    if kind == "list":
        return [str(item) for item in raw]
    if kind == "number":
        return Decimal(str(raw))
    if kind == "time":
        return int(raw)
    if kind == "bool":
        return bool(raw)
    return str(raw)


def matches(operator, value, values, is_list):
    """Whether a record value (from ``record_value``) satisfies one filter."""
    if operator == "IS":
        return value is None
    if operator == "ISN":
        return value is not None
    if value is None:
        return operator in NEGATIONS
    if is_list:
        return _list_matches(operator, value, values)
    return _scalar_matches(operator, value, values)


def _list_matches(operator, items, values):
    if operator in ("EQ", "IN", "HASANYOF"):
        return any(item in values for item in items)
    if operator in ("N", "NIN", "NHASANYOF"):
        return not any(item in values for item in items)
    if operator == "CONTAINS":
        return all(value in items for value in values)
    found = any(values[0] in item for item in items)  # LIKE / NLIKE
    return found if operator == "LIKE" else not found


def _scalar_matches(operator, value, values):
    first = values[0] if values else None
    tests = {
        "EQ": lambda: value == first,
        "N": lambda: value != first,
        "GT": lambda: value > first,
        "GTE": lambda: value >= first,
        "LT": lambda: value < first,
        "LTE": lambda: value <= first,
        "IN": lambda: value in values,
        "HASANYOF": lambda: value in values,
        "NIN": lambda: value not in values,
        "NHASANYOF": lambda: value not in values,
        "BETWEEN": lambda: values[0] <= value <= values[1],
        "NBETWEEN": lambda: not values[0] <= value <= values[1],
        "LIKE": lambda: first in value,
        "NLIKE": lambda: first not in value,
        "CONTAINS": lambda: any(v in value for v in values),
        "STARTWITH": lambda: value.startswith(first),
        "ENDWITH": lambda: value.endswith(first),
    }
    return tests[operator]()
