"""Checks for transform parameters: each returns the value or raises ``ValueError(message)``.

Rules that relate several parameters of one transform live here too; the registry in
``transforms`` names which checks and rules each transform uses.
"""

import re
from decimal import Decimal, InvalidOperation
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.utils.translation import gettext_lazy as _

from syncjobs.mapping.paths import PathError, parse_path

_SLUG = re.compile(r"^[-a-zA-Z0-9_]+$")
_TEMPLATE_TOKEN = re.compile(r"\{\{|\}\}|\{([^{}]*)\}|[{}]")


def any_value(value):
    return value


def text(value):
    if not isinstance(value, str) or not value.strip():
        raise ValueError(_("must be non-empty text"))
    return value


def slug(value):
    if not isinstance(value, str) or not _SLUG.match(value):
        raise ValueError(_("must be a slug (letters, digits, hyphens, underscores)"))
    return value


def boolean(value):
    if not isinstance(value, bool):
        raise ValueError(_("must be true or false"))
    return value


def choice(*choices):
    def check(value):
        if value not in choices:
            raise ValueError(_("must be one of: %(choices)s") % {"choices": ", ".join(choices)})
        return value

    return check


def integer_between(low, high):
    def check(value):
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise ValueError(
                _("must be a whole number from %(low)s to %(high)s") % {"low": low, "high": high}
            )
        return value

    return check


def decimal_text(value):
    try:
        number = Decimal(str(value)) if isinstance(value, str | int) and not isinstance(value, bool) else None
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite():
        raise ValueError(_('must be a number written as text, e.g. "0.01"'))
    return str(value)


def date_format(value):
    if not isinstance(value, str) or "%" not in value:
        raise ValueError(_('must be a date format such as "%Y-%m-%d %H:%M:%S"'))
    return value


def timezone(value):
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError, TypeError) as exc:
        raise ValueError(_('must be a time zone name such as "Asia/Shanghai"')) from exc
    return value


def template(value):
    parse_template(text(value))
    return value


def parse_template(source):
    """Split a ``{field}`` template into literal text and paths; ``{{``/``}}`` are literal braces."""
    parts, position = [], 0
    for match in _TEMPLATE_TOKEN.finditer(source):
        parts.append(source[position : match.start()])
        token = match.group(0)
        if token in ("{{", "}}"):
            parts.append(token[0])
        elif match.group(1) is None:
            raise ValueError(_("has an unmatched “%(brace)s”; write {{ or }} for a brace") % {"brace": token})
        else:
            try:
                parts.append(parse_path(match.group(1)))
            except PathError as exc:
                raise ValueError(_("has an invalid placeholder: %(error)s") % {"error": exc}) from exc
        position = match.end()
    parts.append(source[position:])
    return [part for part in parts if part != ""]


def value_map_rule(params):
    if "default" in params and params.get("keep_unmapped"):
        raise ValueError(_("use either “default” or “keep_unmapped”, not both"))


def datetime_rule(params):
    if params.get("from", "ms") == "ms" and params.get("to", "text") == "ms":
        raise ValueError(_("“from” and “to” are both “ms”: nothing to convert"))
    if params.get("from", "ms") == "ms" and "input_format" in params:
        raise ValueError(_("“input_format” applies only when “from” is “text”"))
    if params.get("to", "text") == "ms" and "output_format" in params:
        raise ValueError(_("“output_format” applies only when “to” is “text”"))


def number_rule(params):
    if params.get("output") == "integer" and "decimals" in params:
        raise ValueError(_("“decimals” cannot be used with “output”: “integer”"))
