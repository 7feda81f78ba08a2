"""Reading a period's documents from one system, through the same adapters the engine uses."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation

from syncjobs.adapters.base import ReadOptions
from syncjobs.adapters.clients import adapter_for
from syncjobs.adapters.fxiaoke_read import from_ms, to_ms
from syncjobs.adapters.values import business_zone
from syncjobs.models import System

PAGE_SIZE = 500


@dataclass(frozen=True)
class Document:
    id: str
    number: str
    day: date | None
    amount: Decimal | None


def period_filter(system, side, start, end):
    """The read filter for documents dated ``start`` to ``end`` (inclusive, business days)."""
    if system == System.K3CLOUD:
        after = end + timedelta(days=1)
        return f"{side.date_path} >= '{start.isoformat()}' and {side.date_path} < '{after.isoformat()}'"
    first, after = _ms(start), _ms(end + timedelta(days=1))
    return [
        {"field_name": side.date_path, "operator": "GTE", "field_values": [first]},
        {"field_name": side.date_path, "operator": "LT", "field_values": [after]},
    ]


def _ms(day):
    return to_ms(datetime.combine(day, time.min, tzinfo=business_zone()))


def read_period(connector, side, start, end, audited_only=False):
    """``{id: Document}`` of ``side``'s documents dated within the period (voided ones left out)."""
    options = ReadOptions(
        fields=[side.date_path, side.amount_path],
        page_size=PAGE_SIZE,
        source_filter=period_filter(connector.system, side, start, end),
        audited_only=audited_only,
    )
    found = {}
    for page in adapter_for(connector).read_changed(side.obj, None, options):
        found.update((record.id, document(record, side)) for record in page)
    return found


def read_ids(connector, side, ids):
    """``{id: Document}`` of the named documents, wherever they are dated."""
    if not ids:
        return {}
    options = ReadOptions(fields=[side.date_path, side.amount_path], page_size=PAGE_SIZE)
    records = adapter_for(connector).read_ids(side.obj, sorted(ids), options)
    return {record.id: document(record, side) for record in records}


def document(record, side):
    """The ``Document`` of a ``SourceRecord``: its business day and its amount."""
    return Document(
        id=str(record.id),
        number=str(record.number or ""),
        day=to_day(record.data.get(side.date_path)),
        amount=to_amount(record.data.get(side.amount_path)),
    )


def to_day(value):
    """A business day from a CRM ms epoch or an ERP date text (None when absent or unreadable)."""
    if value in (None, ""):
        return None
    if isinstance(value, int | float) or str(value).isdigit():
        return from_ms(value).astimezone(business_zone()).date()
    try:
        return datetime.fromisoformat(str(value).replace(" ", "T", 1)).date()
    except ValueError:
        return None


def to_amount(value):
    """An exact amount (never a float's rounding), or None."""
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None
