"""What the sync engine needs from a connected system, whichever system it is.

One adapter per system wraps that system's client (``connectors.k3cloud`` /
``connectors.fxiaoke``) and speaks in these terms only, so the engine never branches on the
system. Adapters do no bookkeeping of their own: cross-references, fingerprints, retries and
record logs belong to the engine.
"""

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol


def chunks(values, size):
    """``values`` without repeats, in lists of at most ``size``: as many as one request may carry."""
    values = list(dict.fromkeys(values))
    for start in range(0, len(values), size):
        yield values[start : start + size]


@dataclass
class SourceRecord:
    """One record read from a source system, shaped for the mapping evaluator.

    ``data`` holds header fields by their key (K3Cloud reference fields by the key the mapping
    asked for, e.g. ``FCustId.FNumber``), detail lines as lists under their entry key
    (``FSaleOrderEntry`` / ``SalesOrderProductObj``), and Fxiaoke's ``__r`` companions.
    ``modified_at`` is aware; for K3Cloud documents it is the later of FModifyDate and
    FApproveDate, so a document audited after its last save is not missed.
    ``saved_by_hub`` says whether the system reports the hub's own API user as the last to
    save the record (True), someone else (False), or does not say in a form the adapter can
    compare (None): an echo of the hub's own write is recognised only in the first case.
    """

    id: str
    number: str
    modified_at: datetime | None
    data: dict
    deleted: bool = False
    saved_by_hub: bool | None = None


@dataclass(frozen=True)
class TargetRef:
    """A record in a target system: its primary key and business number."""

    id: str
    number: str = ""


@dataclass
class WriteItem:
    """One payload to write. ``target_id`` empty means create, otherwise update that record."""

    key: str  # the engine's handle for the item (the source id)
    payload: dict
    target_id: str = ""
    update_fields: list | None = None  # partial update: only these top-level keys
    # Refuse references to records the target lacks instead of letting it blank them
    # (K3Cloud's IsVerifyBaseDataField); the flow option ``verify_base_data``.
    verify_references: bool = True


@dataclass
class WriteResult:
    """How one ``WriteItem`` ended. ``error`` is a ``connectors.errors.ConnectorError`` or None."""

    key: str
    ok: bool
    target: TargetRef | None = None
    error: Exception | None = None
    response: dict | None = None  # a short, redacted excerpt for the record log


@dataclass
class ReadOptions:
    """How to read a source object: which fields, which records, how many per page."""

    fields: list = field(default_factory=list)  # source paths the mapping reads
    page_size: int = 100
    source_filter: list = field(default_factory=list)  # the flow's filter conditions
    audited_only: bool = False  # K3Cloud: FDocumentStatus = 'C' / FForbidStatus = 'A'
    include_deleted: bool = False


class SystemAdapter(Protocol):
    """The engine's view of one connected system."""

    system: str

    def read_changed(
        self, obj: str, since: datetime | None, options: ReadOptions
    ) -> Iterator[list[SourceRecord]]:
        """Pages of records changed at or after ``since`` (all records when None).

        Pages come in primary-key order (K3Cloud PK, Fxiaoke ``_id`` cursor), not in time
        order: both systems page reliably only that way. So the watermark may advance to the
        latest ``modified_at`` seen only once the whole pull has been processed. Pages are
        produced lazily: nothing beyond the current page is held.
        """

    def read_ids(self, obj: str, ids: list[str], options: ReadOptions) -> list[SourceRecord]:
        """The named records (missing ids are simply absent from the result)."""

    def find_by(self, obj: str, field_path: str, values: list[str]) -> dict[str, list[TargetRef]]:
        """Target records whose ``field_path`` equals one of ``values``, in as few calls as possible."""

    def fetch_current(self, obj: str, ids: list[str], fields: list[str]) -> dict[str, dict]:
        """Current values of the named records (for comparisons and dry-run diffs).

        Shaped like a mapped payload (K3Cloud ``FCustId.FNumber`` as ``{"FCustId": {"FNumber":
        ...}}``; detail lines as lists), holding only the fields named; missing ids are absent.
        """

    def write(self, obj: str, items: list[WriteItem]) -> list[WriteResult]:
        """Create or update records, batched where the system allows; one result per item, in order.

        Connector errors never escape: each item's ``WriteResult.error`` holds its own (an
        ``OutcomeUnknownError`` when the answer was lost: settle it by ``find_by``). A
        call-level refusal, or an error no call can get past now (quota, open circuit),
        becomes every affected item's error, with the same type, so the engine still branches
        on it. K3Cloud sends the batch as one BatchSave; Fxiaoke one call per item.
        """

    def post_action(self, obj: str, action: dict, refs: list[TargetRef]) -> dict[str, Exception | None]:
        """Run a post-action on written records; ``{ref.id: error or None}``.

        K3Cloud: ``submit``, ``audit``, ``unaudit``, ``allocate`` (``"organisations"``: org
        numbers; ``"auto_submit_and_audit"``), ``forbid``, ``enable``, ``cancel``, ``close``.
        Fxiaoke: ``notify_owner`` (``"template"``, optional ``"recipient"`` lookup field whose
        record's owner is told, ``"fields"`` placeholder aliases, and ``"values"``:
        ``{target id: {placeholder: value}}`` for what only the engine knows, e.g. the source
        document's number). See ``syncjobs.adapters.fxiaoke_notify``.
        """

    def update_fields(self, obj: str, record_id: str, values: dict) -> None:
        """Write a few fields onto one record (write-back of the other system's number); raises on failure."""

    def void(self, obj: str, ref: TargetRef) -> None:
        """Void, forbid or cancel a record whose source was deleted (as the system allows); raises on failure."""

    def target_fields(self, obj: str) -> dict:
        """What the adapter knows of ``obj``'s fields: ``{mapping path (lower case): TargetField}``.

        The engine checks each payload against it before writing (``syncjobs.mapping.targets``);
        fields absent from it are checked only for control characters.
        """

    def call_counts(self) -> dict[str, int]:
        """API calls made today by this connector, per operation (for run statistics)."""
