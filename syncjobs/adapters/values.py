"""Payload values in the forms each system's JSON takes, whatever produced them.

The mapping already writes amounts as decimal text and dates as each system wants them;
this is the safety net for values that reach an adapter as Python objects (a ``Decimal``,
a ``datetime``), which JSON cannot carry or would carry as a lossy float.
"""

from datetime import date, datetime, time
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings

from syncjobs.adapters.fxiaoke_read import to_ms


def business_zone():
    """The business's time zone (TIME_ZONE): K3Cloud's naive dates are wall-clock times of the
    ERP's site, and a date without a time means midnight there."""
    return ZoneInfo(settings.TIME_ZONE)


def _amount(value):
    return format(Decimal(repr(value)) if isinstance(value, float) else value, "f")


def _deep(value, leaf):
    if isinstance(value, dict):
        return {key: _deep(item, leaf) for key, item in value.items()}
    if isinstance(value, list):
        return [_deep(item, leaf) for item in value]
    return leaf(value)


def for_fxiaoke(payload):
    """Numbers as decimal text, dates and times as ms epoch (a date at midnight, business time)."""
    return _deep(payload, _fxiaoke_leaf)


def _fxiaoke_leaf(value):
    if isinstance(value, Decimal | float):
        return _amount(value)
    if isinstance(value, datetime):
        moment = value if value.tzinfo else value.replace(tzinfo=business_zone())
        return to_ms(moment)
    if isinstance(value, date):
        return _fxiaoke_leaf(datetime.combine(value, time.min, tzinfo=business_zone()))
    return value


def for_k3cloud(payload):
    """Numbers as decimal text, dates as ``yyyy-MM-dd`` and times as ERP local ``yyyy-MM-dd HH:mm:ss``."""
    return _deep(payload, _k3cloud_leaf)


def _k3cloud_leaf(value):
    if isinstance(value, Decimal | float):
        return _amount(value)
    if isinstance(value, datetime):
        moment = value.astimezone(business_zone()) if value.tzinfo else value
        return moment.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, date):
        return value.isoformat()
    return value
