"""Source records as batches store them: plain JSON, so any worker can process a batch."""

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.utils.dateparse import parse_datetime

from syncjobs.adapters.base import SourceRecord


def plain(value):
    """``value`` as it reads back from a JSON column (decimals and dates become text).

    Every consumer maps records in this form, so a dry run and the real run that stores
    the records first see exactly the same values and compute the same fingerprints.
    """
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False))


def dump(record):
    """``record`` as a JSON-able dict."""
    return {
        "id": str(record.id),
        "number": record.number or "",
        "modified_at": record.modified_at.isoformat() if record.modified_at else None,
        "data": plain(record.data),
        "deleted": bool(record.deleted),
    }


def load(data):
    """The ``SourceRecord`` a ``dump`` describes."""
    modified = data.get("modified_at")
    return SourceRecord(
        id=data["id"],
        number=data.get("number") or "",
        modified_at=parse_datetime(modified) if modified else None,
        data=data.get("data") or {},
        deleted=bool(data.get("deleted")),
    )


def normalised(record):
    """``record`` with its data in stored form and its id as text (see ``plain``)."""
    return load(dump(record))


def label(record):
    """How people name the record: its business number, else its id."""
    return record.number or record.id
