"""Field values: reading what clients send, keeping it, and writing it the ERP's way.

Dates and times are the ERP's local wall-clock time (the server's time zone), written
``yyyy-MM-ddTHH:mm:ss`` with milliseconds when there are any (``…T12:00:45.053``) — the
form the real server's JSON uses. Stored timestamps are cut to milliseconds so that a
value read back and used as a filter matches itself exactly.

Numbers must fit the ERP's columns. Amount, price and quantity columns are taken to be
SQL Server ``decimal(23,10)`` — 13 digits before the point, 10 after — and integer fields a
32-bit ``int``. Kingdee's database rules for K3Cloud extensions require quantities and
amounts to be ``Decimal(23,10)`` or ``Decimal(19,6)`` (a public summary the code index does
not attribute to a repository), and client SQL over the standard tables casts quantities
to ``decimal(23,10)``; the standard tables' own DDL was not found, so this stays uncertain. What the form shows is rounded further: prices to 6 places and
amounts to 2, the ``PriceDigits``/``AmountDigits`` of currency PRE001 in a real View reply
(AndyYan1010/fengyuanjianshe, app/src/main/java/com/bt/andy/fengyuanbuild/messegeInfo/
SearchDetailInfo.java; single source), see ``sandbox.k3cloud.amounts``. A value that does
not fit, or is no number, is a validation error of its row — never a failure of the call.
The Save option ``IsControlPrecision`` ("true: check the precision of amount, price and
quantity fields", chonggit/k3-cloud-web-api-client, src/save-param-base.ts) is not
simulated: what the real server answers to too many places is unknown.
"""

from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import lru_cache

from django.utils import timezone

from sandbox.k3cloud.metadata.types import BOOL, DATE, DATETIME, DECIMAL, INT, LOCALE, REF, TEXT

TEXT_LIMIT = 255  # nvarchar(255): the length of the ERP's text columns
DECIMAL_INTEGER_DIGITS = 13  # decimal(23,10): 23 digits, 10 of them after the point (uncertain)
DECIMAL_PLACES = 10
DECIMAL_LIMIT = Decimal(10) ** DECIMAL_INTEGER_DIGITS
INT_LIMIT = 2**31  # int columns (ids, counters)
TRUE_WORDS = {"true", "1", "yes"}
FALSE_WORDS = {"false", "0", "no", ""}


class BadValue(ValueError):
    """A value a field cannot take (a date that is no date, a number that is no number)."""


class TooLong(BadValue):
    """A text longer than the field holds."""


class OutOfRange(BadValue):
    """A number larger than the field's column holds (a 310-digit price, say)."""


# --- moments --------------------------------------------------------------------------------


def cut_to_millis(moment):
    return moment.replace(microsecond=moment.microsecond // 1000 * 1000)


def moment_text(moment):
    """An aware or naive datetime as the ERP writes it (local time, milliseconds if any)."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(timezone.get_default_timezone()).replace(tzinfo=None)
    text = moment.strftime("%Y-%m-%dT%H:%M:%S")
    if moment.microsecond:
        text += f".{moment.microsecond // 1000:03d}"
    return text


@lru_cache(maxsize=4096)  # a batch stamps every record with the same few moments
def text_moment(text):
    """The aware datetime of a text written by ``moment_text`` (None stays None)."""
    if not text:
        return None
    return timezone.make_aware(parse_moment(text))


def parse_moment(raw):
    """A naive local datetime from the forms clients write.

    Accepted: ``2025-01-02``, ``2016/2/23``, ``2025-01-02 10:00:00``, ``2025-01-02T10:00:00``,
    each optionally with seconds, a fraction and a trailing ``Z``.
    """
    text = str(raw).strip()
    date_part, _, time_part = text.replace("T", " ", 1).partition(" ")
    pieces = date_part.split("-" if "-" in date_part else "/")
    if len(pieces) != 3 or not all(p.isdigit() for p in pieces):
        raise BadValue(text)
    clock = _parse_clock(time_part.strip().rstrip("Z")) if time_part.strip() else (0, 0, 0, 0)
    try:
        return datetime(int(pieces[0]), int(pieces[1]), int(pieces[2]), *clock)
    except ValueError as error:
        raise BadValue(text) from error


def _parse_clock(text):
    main, _, fraction = text.partition(".")
    parts = main.split(":")
    if not 2 <= len(parts) <= 3 or not all(p.isdigit() for p in parts):
        raise BadValue(text)
    if fraction and not fraction.isdigit():
        raise BadValue(text)
    seconds = int(parts[2]) if len(parts) == 3 else 0
    return int(parts[0]), int(parts[1]), seconds, int((fraction + "000000")[:6])


def moment_value(raw, date_only=False):
    """The stored (canonical text) form of a date or datetime input."""
    moment = parse_moment(raw)
    if date_only:
        moment = moment.replace(hour=0, minute=0, second=0, microsecond=0)
    return moment_text(moment)


# --- reading input ----------------------------------------------------------------------------


def parse_decimal(raw):
    if isinstance(raw, bool):
        raise BadValue(raw)
    try:
        value = Decimal(str(raw).strip() or "0")
    except InvalidOperation as error:
        raise BadValue(raw) from error
    if not value.is_finite():
        raise BadValue(raw)
    return value


def fitting_decimal(value):
    """``value`` as a ``decimal(23,10)`` column keeps it (rounded to 10 places); raises OutOfRange."""
    if abs(value) >= DECIMAL_LIMIT:
        raise OutOfRange(value)
    if value.as_tuple().exponent < -DECIMAL_PLACES:
        value = value.quantize(Decimal(1).scaleb(-DECIMAL_PLACES), rounding=ROUND_HALF_UP)
    return value


def parse_bool(raw):
    if isinstance(raw, bool):
        return raw
    word = str(raw).strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise BadValue(raw)


def localized_text(raw, lcid=2052):
    """A multilingual input: plain text, or [{"Key": 2052, "Value": ...}] (the lcid's value)."""
    if isinstance(raw, list):
        values = {str(item.get("Key")): item.get("Value") for item in raw if isinstance(item, dict)}
        raw = values.get(str(lcid), next(iter(values.values()), ""))
    return "" if raw is None else str(raw)


def stored_value(field, raw, lcid=2052):
    """What a non-reference field keeps for input ``raw``; raises BadValue."""
    if raw is None:
        return None
    kind = field.type
    if kind in (LOCALE, TEXT):
        text = localized_text(raw, lcid) if kind == LOCALE else (raw if isinstance(raw, str) else str(raw))
        if len(text) > TEXT_LIMIT:
            raise TooLong(text)
        return text
    if kind == DECIMAL:
        return str(fitting_decimal(parse_decimal(raw)))
    if kind == INT:
        number = parse_decimal(raw)
        if abs(number) >= INT_LIMIT:
            raise OutOfRange(raw)
        return int(number)
    if kind == BOOL:
        return parse_bool(raw)
    if kind in (DATE, DATETIME):
        return moment_value(raw, date_only=kind == DATE) if str(raw).strip() else None
    raise BadValue(raw)


# --- writing output ---------------------------------------------------------------------------


def query_value(field_type, value):
    """A stored value as ExecuteBillQuery shows it: ids for references, numbers as numbers."""
    if field_type == DECIMAL:
        return float(Decimal(value)) if value not in (None, "") else 0.0
    if field_type in (INT, REF):
        return value or 0
    if field_type == BOOL:
        return bool(value)
    if field_type in (DATE, DATETIME):
        return value or None
    return "" if value is None else value


def comparable(field_type, value):
    """A stored value in the form filters and sorting compare (SQL Server semantics).

    Numbers, ids and flags compare as numbers (an empty reference is 0, never NULL); texts
    compare without regard to case, as the default Chinese_PRC_CI_AS collation does; dates
    compare as their canonical text, which orders the same way as the moments.
    """
    if field_type in (DECIMAL, INT, REF):
        return Decimal(value) if value not in (None, "") else Decimal(0)
    if field_type == BOOL:
        return Decimal(1 if value else 0)
    if field_type in (DATE, DATETIME):
        return value or None
    return "" if value is None else str(value).casefold()


def literal_for(field_type, value):
    """A filter literal converted to compare with a field of ``field_type``; raises BadValue."""
    if value is None:
        return None
    if field_type in (DECIMAL, INT, REF):
        return parse_decimal(value)
    if field_type == BOOL:
        return Decimal(1 if parse_bool(value) else 0)
    if field_type in (DATE, DATETIME):
        return moment_value(value)
    return str(value).casefold()
