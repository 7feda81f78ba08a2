"""The fixed registry of transforms a mapping row may use: pure functions, no code from users.

Each transform declares its parameters (checked by ``params``); ``validate_params`` checks a
row's JSON parameters against them when the row is saved, so evaluation meets only
well-formed parameters.
"""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import (
    ROUND_CEILING,
    ROUND_DOWN,
    ROUND_FLOOR,
    ROUND_HALF_EVEN,
    ROUND_HALF_UP,
    ROUND_UP,
    Decimal,
    InvalidOperation,
    localcontext,
)
from zoneinfo import ZoneInfo

from django.utils.translation import gettext_lazy as _

from syncjobs.mapping import params as checks
from syncjobs.mapping.context import LOOKUP_FIELDS
from syncjobs.mapping.errors import MissingReferenceError, TransformError
from syncjobs.mapping.params import parse_template
from syncjobs.mapping.paths import resolve

ROUNDING = {
    "half_up": ROUND_HALF_UP,
    "half_even": ROUND_HALF_EVEN,
    "down": ROUND_DOWN,
    "up": ROUND_UP,
    "floor": ROUND_FLOOR,
    "ceiling": ROUND_CEILING,
}
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
# Powers of ten beyond this are refused by the number transform (see ``_decimal``).
MAX_EXPONENT = 400


class ParameterError(ValueError):
    """A row's parameters don't fit its transform; ``messages`` says what to change."""

    def __init__(self, messages):
        super().__init__(messages)
        self.messages = list(messages)


@dataclass(frozen=True)
class Param:
    name: str
    check: object
    required: bool = False


@dataclass(frozen=True)
class Transform:
    name: str
    label: str
    function: object
    params: tuple = ()
    # "required": reads the row's source path; "none": computes without one.
    source: str = "required"
    rule: object = None

    def __call__(self, value, params, env):
        return self.function(value, params, env)


def is_empty(value):
    """None, blank text, an empty list or object: what "default when empty" replaces."""
    if isinstance(value, str):
        return not value.strip()
    return value is None or value == [] or value == {}


# --- Transform functions ---------------------------------------------------------------


def _direct(value, params, env):
    return value


def _constant(value, params, env):
    return params["value"]


def _default(value, params, env):
    return params["value"] if is_empty(value) else value


def _each(one, value, params, env):
    # A multi-select holds a list of values; each is mapped (or looked up) on its own.
    if is_empty(value):
        return None
    if isinstance(value, list):
        return [one(item, params, env) for item in value]
    return one(value, params, env)


def _value_map(value, params, env):
    return _each(_map_one, value, params, env)


def _map_one(value, params, env):
    slug = params["map"]
    entries = env.context.value_maps.get(slug)
    if entries is None:
        raise TransformError(_("the value map “%(map)s” does not exist"), map=slug)
    key = key_text(value)
    if key in entries:
        return entries[key]
    if "default" in params:
        return params["default"]
    if params.get("keep_unmapped"):
        return value
    raise TransformError(
        _("the value “%(value)s” has no entry in value map “%(map)s”; add it to the value map"),
        code="unmapped_value",
        value=key,
        map=slug,
    )


def _lookup(value, params, env):
    return _each(_lookup_one, value, params, env)


def _lookup_one(value, params, env):
    flow, by = params["flow"], params.get("by", "source_id")
    found = env.context.lookups.get((flow, by), {}).get(key_text(value))
    if found is None:
        if params.get("on_missing", "error") == "empty":
            return None
        raise MissingReferenceError(flow, by, key_text(value))
    return found.get(params.get("return", "target_number"))


def key_text(value):
    # Value-map and cross-reference keys are text: CRM option "1" and ERP 1 are one key.
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _datetime(value, params, env):
    if is_empty(value):
        return None
    zone = ZoneInfo(params.get("timezone") or env.context.timezone)
    try:
        moment = _read_moment(value, params, zone)
        if params.get("to", "text") == "ms":
            return (moment - _EPOCH) // timedelta(milliseconds=1)
        return moment.astimezone(zone).strftime(params.get("output_format", "%Y-%m-%d %H:%M:%S"))
    except (OverflowError, ValueError) as exc:
        # Python's dates end at the years 1 and 9999: a timestamp beyond them is bad data.
        raise TransformError(
            _("“%(value)s” is outside the dates a calendar holds (years 1 to 9999)"), value=value
        ) from exc


def _read_moment(value, params, zone):
    if params.get("from", "ms") == "ms":
        milliseconds = _whole_number(value)
        return _EPOCH + timedelta(milliseconds=milliseconds)
    text = str(value).strip()
    try:
        if "input_format" in params:
            moment = datetime.strptime(text, params["input_format"])
        else:
            moment = datetime.fromisoformat(text)
    except ValueError as exc:
        raise TransformError(
            _("“%(value)s” is not a date and time in the expected format"), value=text
        ) from exc
    return moment if moment.tzinfo else moment.replace(tzinfo=zone)


def _whole_number(value):
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value.strip())
    if isinstance(value, float) and value.is_integer():
        return int(value)
    raise TransformError(_("“%(value)s” is not a timestamp in milliseconds"), value=value)


def _number(value, params, env):
    if is_empty(value):
        return None
    number = _decimal(value)
    # Enough digits for any number _decimal lets through, so rounding never overflows; whether
    # the target field can hold the result is the target's check (syncjobs.mapping.targets).
    with localcontext() as exact:
        exact.prec = 2 * (MAX_EXPONENT + 40)
        if "multiply" in params:
            number = _bounded(number * Decimal(params["multiply"]), value)
        rounding = ROUNDING[params.get("rounding", "half_up")]
        if params.get("output") == "integer":
            return int(number.quantize(Decimal(1), rounding=rounding))
        if "decimals" in params:
            number = number.quantize(Decimal(1).scaleb(-params["decimals"]), rounding=rounding)
    # Text, never float: amounts keep every digit on their way to JSON.
    return format(number, "f")


def _decimal(value):
    if isinstance(value, bool) or not isinstance(value, str | int | float | Decimal):
        raise TransformError(_("“%(value)s” is not a number"), value=value)
    text = str(value).strip().replace(",", "") if not isinstance(value, Decimal) else value
    try:
        number = Decimal(text)
    except InvalidOperation as exc:
        raise TransformError(_("“%(value)s” is not a number"), value=value) from exc
    if not number.is_finite():
        raise TransformError(_("“%(value)s” is not a number"), value=value)
    return _bounded(number, value)


def _bounded(number, value):
    if number and not -MAX_EXPONENT <= number.adjusted() <= MAX_EXPONENT:
        # Written out, such a number is hundreds of digits: no amount, price or quantity.
        raise TransformError(_("“%(value)s” is too large or too small to be an amount"), value=value)
    return number


def _render_template(value, params, env):
    rendered = []
    for part in parse_template(params["template"]):
        if isinstance(part, str):
            rendered.append(part)
        else:
            found = resolve(env.record, part, env.index[: part.depth])
            rendered.append("" if found is None else key_text(found))
    return "".join(rendered)


_LOOKUP_FIELD = checks.choice(*LOOKUP_FIELDS)

TRANSFORMS = {
    transform.name: transform
    for transform in (
        Transform("direct", _("Copy the value"), _direct),
        Transform(
            "constant", _("Constant"), _constant, (Param("value", checks.any_value, True),), source="none"
        ),
        Transform("default", _("Default when empty"), _default, (Param("value", checks.any_value, True),)),
        Transform(
            "value_map",
            _("Value map"),
            _value_map,
            (
                Param("map", checks.slug, True),
                Param("default", checks.any_value),
                Param("keep_unmapped", checks.boolean),
            ),
            rule=checks.value_map_rule,
        ),
        Transform(
            "lookup",
            _("Look up another flow's cross-reference"),
            _lookup,
            (
                Param("flow", checks.slug, True),
                Param("by", _LOOKUP_FIELD),
                Param("return", _LOOKUP_FIELD),
                Param("on_missing", checks.choice("error", "empty")),
            ),
        ),
        Transform(
            "datetime",
            _("Date and time conversion"),
            _datetime,
            (
                Param("from", checks.choice("ms", "text")),
                Param("to", checks.choice("ms", "text")),
                Param("input_format", checks.date_format),
                Param("output_format", checks.date_format),
                Param("timezone", checks.timezone),
            ),
            rule=checks.datetime_rule,
        ),
        Transform(
            "number",
            _("Number and rounding"),
            _number,
            (
                Param("decimals", checks.integer_between(0, 10)),
                Param("rounding", checks.choice(*ROUNDING)),
                Param("multiply", checks.decimal_text),
                Param("output", checks.choice("text", "integer")),
            ),
            rule=checks.number_rule,
        ),
        Transform(
            "template",
            _("Text template"),
            _render_template,
            (Param("template", checks.template, True),),
            source="none",
        ),
    )
}


def transform_choices():
    """``(name, label)`` pairs for a form's select box."""
    return [(transform.name, transform.label) for transform in TRANSFORMS.values()]


def validate_params(name, params):
    """Return ``params`` checked against transform ``name``; raise ``ParameterError`` listing problems."""
    transform = TRANSFORMS.get(name)
    if transform is None:
        raise ParameterError([_("“%(name)s” is not a known transform.") % {"name": name}])
    if not isinstance(params, dict):
        raise ParameterError([_('Parameters must be a JSON object, e.g. {"value": "A"}.')])
    messages = _unknown_parameters(transform, params) + _checked_parameters(transform, params)
    if not messages and transform.rule is not None:
        try:
            transform.rule(params)
        except ValueError as exc:
            messages.append(str(exc))
    if messages:
        raise ParameterError(messages)
    return params


def _unknown_parameters(transform, params):
    known = {param.name for param in transform.params}
    return [
        _("“%(param)s” is not a parameter of “%(transform)s”; allowed: %(allowed)s")
        % {"param": key, "transform": transform.name, "allowed": ", ".join(sorted(known)) or "-"}
        for key in params
        if key not in known
    ]


def _checked_parameters(transform, params):
    messages = []
    for param in transform.params:
        if param.name not in params:
            if param.required:
                messages.append(_("“%(param)s” is required.") % {"param": param.name})
            continue
        try:
            param.check(params[param.name])
        except ValueError as exc:
            messages.append(_("“%(param)s” %(problem)s.") % {"param": param.name, "problem": exc})
    return messages
