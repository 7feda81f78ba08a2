"""Source records in the engine: as batches store them, and as ``Item``s on their way through a batch.

Batches hold plain JSON, so any worker can process a batch; each record it loads becomes an
``Item`` that carries what was decided about it and what happened.
"""

import json
from dataclasses import dataclass, field

from django.core.serializers.json import DjangoJSONEncoder
from django.utils.dateparse import parse_datetime

from syncjobs.adapters.base import SourceRecord, TargetRef
from syncjobs.mapping.errors import visible
from syncjobs.models import RecordAction, RecordStatus
from syncjobs.stored_messages import stored


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
        "saved_by_hub": record.saved_by_hub,
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
        saved_by_hub=data.get("saved_by_hub"),  # absent from records kept before it was read
    )


def normalised(record):
    """``record`` with its data in stored form and its id as text (see ``plain``)."""
    return load(dump(record))


def label(record):
    """How people name the record: its business number, else its id."""
    return record.number or record.id


@dataclass(eq=False)
class Item:
    """A source record and everything the engine learns about it in one batch.

    ``action`` is the decision (create, update, unchanged, skip, void); ``status`` stays
    empty until the record's outcome is known, so later steps take only open items.
    """

    record: SourceRecord
    payload: dict | None = None
    fingerprint: str = ""
    xref: object = None  # CrossReference
    action: str = ""
    status: str = ""
    target: TargetRef | None = None
    adopted: bool = False
    stale_claim: bool = False  # a create of an earlier attempt may or may not have happened
    unaudited: bool = False
    written: bool = False  # written in this attempt (so its post-actions have not run yet)
    missing: list = field(default_factory=list)  # lookups whose parent record is not synced
    waiting_for: str = ""
    attempts: int = 0
    last_error: object = None
    error_code: str = ""
    error_field: str = ""
    error_message: str = ""
    error_params: dict | list = field(default_factory=dict)  # the message's id and parameters
    response: dict | None = None
    diff: list = field(default_factory=list)
    write_back: dict = field(default_factory=dict)

    @property
    def label(self):
        # Control characters written out: a number holding a NUL must not cut the message short.
        return visible(str(label(self.record)))

    @property
    def open(self):
        """Still to be decided or written."""
        return not self.status

    @property
    def writes(self):
        return self.open and self.action in (RecordAction.CREATE, RecordAction.UPDATE)

    def succeed(self, action=None, target=None, response=None):
        self.status = RecordStatus.SUCCEEDED
        if action:
            self.action = action
        if target is not None:
            self.target = target
        if response is not None:
            self.response = response

    def fail(self, message, code="", field="", status=RecordStatus.FAILED):
        self.status = status
        self._explain(message)
        self.error_code = str(code or "")[:64]
        self.error_field = str(field or "")[:255]

    def skip(self, message="", status=RecordStatus.IGNORED):
        self.action = RecordAction.SKIP
        self.status = status
        self._explain(message)

    def wait(self, waiting_for, message):
        self.status = RecordStatus.WAITING
        self.waiting_for = waiting_for[:255]
        self._explain(message)
        self.error_code = "missing_reference"

    def _explain(self, message):
        # A ``Message`` keeps its id and parameters too, to be read in the reader's language.
        self.error_message, self.error_params = stored(message)


def open_items(items):
    return [item for item in items if item.open]
