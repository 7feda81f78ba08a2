"""Checks and normalises the field values of a create or update, field type by field type.

The platform's value rules [D]: numbers and currency are strings ("100.01"), date and
date_time are ms epochs, select fields take option values (never labels), employee and
department fields are lists even with one value, lookups hold the target's ``_id``.
Employee values are accepted as CRM user ids ("1000") or openUserIds and stored as
openUserIds, the form legacy (corpAccessToken) payloads carry [D].
An empty value (None, "" or []) clears the field.
"""

from decimal import Decimal, InvalidOperation

from sandbox.fxiaoke.errors import UNKNOWN_FIELD, ApiError, illegal_value
from sandbox.fxiaoke.models import Record
from sandbox.fxiaoke.schema.fields import NUMBER_TYPES, REFERENCE_TYPES, TEXT_TYPES, TIME_TYPES

# Keys that carry the request itself rather than a field value.
CARRIER_KEYS = frozenset({"dataObjectApiName", "_id"})
SPECIFIED_TIME_FIELDS = frozenset({"create_time", "last_modified_time"})


def is_empty(value):
    return value is None or value == "" or value == []


def clean(describe, values, directory, *, path="", specify_time=False, specify_created_by=False):
    """The writable values of ``values``, checked and normalised; None means "clear the field".

    Read-only fields (ids, audit fields, statuses, ``x__r`` companions) are skipped, because
    clients echo records they read; ``hasSpecifyTime``/``hasSpecifyCreatedBy`` let a create
    set ``create_time``/``last_modified_time``/``created_by``.
    """
    cleaned = {}
    for key, value in values.items():
        if key in CARRIER_KEYS or key.endswith(("__r", "__l")):
            continue
        field = describe.fields.get(key)
        if field is None:
            raise unknown_field(describe.api_name, path + key)
        settable = field.writable or (specify_time and key in SPECIFIED_TIME_FIELDS)
        settable = settable or (specify_created_by and key == "created_by")
        if settable:
            cleaned[key] = None if is_empty(value) else normalise(field, value, directory, path + key)
    check_references(describe, cleaned, directory.tenant, path)
    return cleaned


def unknown_field(api_name, name):
    # [invented] the platform documents no code for an unknown field.
    return ApiError(UNKNOWN_FIELD, f"字段不存在: {api_name}.{name}", f"{api_name} has no field {name!r}")


def normalise(field, value, directory, name):
    """One non-empty value of ``field``, checked; returns what is stored."""
    kind = field.type
    if kind in NUMBER_TYPES:
        return _number(field, value, name)
    if kind in TIME_TYPES:
        return _epoch_ms(value, name)
    if kind == "true_or_false":
        if not isinstance(value, bool):
            raise illegal_value(name, value, "send true or false")
        return value
    if kind in ("select_one", "record_type"):
        return _option(field, value, name)
    if kind == "select_many":
        return [_option(field, item, name) for item in _list(value, name, '["option1"]')]
    if kind == "employee":
        return [_employee(item, directory, name) for item in _list(value, name, '["1000"]')]
    if kind == "department":
        return [_department(item, directory, name) for item in _list(value, name, '["1001"]')]
    if kind in REFERENCE_TYPES or kind in TEXT_TYPES:
        return _text(field, value, name)
    raise illegal_value(name, value, "this field cannot be written")


def _number(field, value, name):
    if not isinstance(value, str):
        raise illegal_value(name, value, 'numbers and amounts are sent as strings, e.g. "100.01"')
    try:
        number = Decimal(value.strip())
    except InvalidOperation:
        raise illegal_value(name, value, "not a number") from None
    if not number.is_finite():
        raise illegal_value(name, value, "not a number")
    if -number.as_tuple().exponent > field.decimal_places:
        raise illegal_value(name, value, f"at most {field.decimal_places} decimal places")
    return value.strip()


def _epoch_ms(value, name):
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise illegal_value(
            name, value, "dates are milliseconds since 1970-01-01 (Beijing midnight for a date)"
        )
    return value


def _option(field, value, name):
    if isinstance(value, str) and value in field.option_values:
        return value
    labels = {label: code for code, label in field.options}
    if isinstance(value, str) and value in labels:
        raise illegal_value(name, value, f"send the option value {labels[value]!r}, not its label")
    allowed = ", ".join(code for code, _label in field.options)
    raise illegal_value(name, value, f"not an option of this field (allowed: {allowed})")


def _list(value, name, example):
    if not isinstance(value, list):
        raise illegal_value(name, value, f"this field takes a list, e.g. {example}")
    return value


def _employee(value, directory, name):
    person = directory.employee(value) if isinstance(value, str) else None
    if person is None:
        raise illegal_value(name, value, "no employee with this id")
    return person.open_user_id


def _department(value, directory, name):
    if directory.departments.get(_as_int(value)) is None:
        raise illegal_value(name, value, "no department with this id")
    return str(value)


def _text(field, value, name):
    if not isinstance(value, str):
        raise illegal_value(name, value, "send text")
    if field.type == "email" and "@" not in value:
        raise illegal_value(name, value, "not an email address")
    return value


def _as_int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def check_references(describe, cleaned, tenant, path=""):
    """Every lookup must point at an existing, not voided record of its target object."""
    for key, value in cleaned.items():
        field = describe.fields[key]
        if field.type not in REFERENCE_TYPES or value is None:
            continue
        exists = (
            Record.objects.filter(tenant=tenant, api_name=field.target, object_id=value)
            .exclude(life_status="invalid")
            .exists()
        )
        if not exists:
            raise illegal_value(path + key, value, f"no {field.target} record with this id")


def apply(data, cleaned):
    """Write cleaned values into a record's data; None clears (removes) the field."""
    for key, value in cleaned.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
