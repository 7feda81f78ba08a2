"""One source record on its way through a batch: what was decided, what happened."""

from dataclasses import dataclass, field

from syncjobs.adapters.base import SourceRecord, TargetRef
from syncjobs.engine.records import label
from syncjobs.mapping.errors import visible
from syncjobs.models import RecordAction, RecordStatus
from syncjobs.stored_messages import stored


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
