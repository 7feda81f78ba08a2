"""Typed views of K3Cloud replies: response status, success entities, per-row outcomes.

K3Cloud wraps every business outcome in ``Result.ResponseStatus`` (HTTP 200 either way);
queries answer a bare list of rows, or an error wrapped as ``[[{"Result": ...}]]``. Key case
varies between versions and proxies, so keys are read case-insensitively.
"""

from dataclasses import dataclass


def get_key(mapping, name, default=None):
    """``mapping[name]`` ignoring the key's case (exact match first)."""
    if not isinstance(mapping, dict):
        return default
    if name in mapping:
        return mapping[name]
    lowered = name.lower()
    for key, value in mapping.items():
        if str(key).lower() == lowered:
            return value
    return default


def as_id(value):
    """A primary key as an int when it is one ("100029" or 100029), else the value or None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    return value or None


def _as_index(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@dataclass(frozen=True)
class ErpMessage:
    """One message of the ERP (error or success), with the field and input row it is about."""

    message: str
    field_name: str | None = None
    dindex: int | None = None

    @classmethod
    def parse(cls, raw):
        return cls(
            message=str(get_key(raw, "Message") or ""),
            field_name=get_key(raw, "FieldName") or None,
            dindex=_as_index(get_key(raw, "DIndex")),
        )

    def as_dict(self):
        return {"field": self.field_name, "message": self.message, "dindex": self.dindex}


@dataclass(frozen=True)
class SuccessEntity:
    """A record the ERP saved or acted on: its primary key, number and input row (DIndex)."""

    id: int | str | None
    number: str | None
    dindex: int | None

    @classmethod
    def parse(cls, raw):
        return cls(
            id=as_id(get_key(raw, "Id")),
            number=get_key(raw, "Number") or None,
            dindex=_as_index(get_key(raw, "DIndex")),
        )


@dataclass(frozen=True)
class ResponseStatus:
    """``Result.ResponseStatus`` of a reply."""

    is_success: bool
    msg_code: int
    error_code: int | str | None
    errors: tuple[ErpMessage, ...] = ()
    success_entities: tuple[SuccessEntity, ...] = ()
    success_messages: tuple[ErpMessage, ...] = ()

    @classmethod
    def parse(cls, raw):
        raw = raw or {}
        return cls(
            is_success=bool(get_key(raw, "IsSuccess", False)),
            msg_code=_as_index(get_key(raw, "MsgCode")) or 0,
            error_code=get_key(raw, "ErrorCode"),
            errors=tuple(ErpMessage.parse(e) for e in get_key(raw, "Errors") or ()),
            success_entities=tuple(SuccessEntity.parse(e) for e in get_key(raw, "SuccessEntitys") or ()),
            success_messages=tuple(ErpMessage.parse(e) for e in get_key(raw, "SuccessMessages") or ()),
        )


# A reply whose ResponseStatus is null (View and some success replies) counts as success.
SUCCESS = ResponseStatus(is_success=True, msg_code=0, error_code=None)


def find_status(payload):
    """The ``ResponseStatus`` inside any reply form, or None when the reply carries none.

    Forms: ``{"Result": {"ResponseStatus": ...}}``; the query error ``[[{"Result": ...}]]``;
    ``[{"Result": ...}]`` (seen from BillQuery); and the asynchronous mode's
    ``{"Status", "TaskId", "Result": <one of those, or null while running>}``.
    """
    if is_async_answer(payload):
        return find_status(get_key(payload, "Result"))
    if isinstance(payload, list):
        first = payload[0] if payload else None
        if isinstance(first, list) and len(first) == 1:
            first = first[0]
        return find_status(first) if _is_result_wrapper(first) else None
    if not isinstance(payload, dict):
        return None
    result = get_key(payload, "Result")
    if isinstance(result, dict):
        raw = get_key(result, "ResponseStatus")
        return ResponseStatus.parse(raw) if raw is not None else SUCCESS
    raw = get_key(payload, "ResponseStatus")
    return ResponseStatus.parse(raw) if isinstance(raw, dict) else None


def is_async_answer(payload):
    """Whether ``payload`` is the asynchronous mode's ``{"Status", "TaskId", "Result"}``."""
    return (
        isinstance(payload, dict)
        and get_key(payload, "TaskId") is not None
        and "status" in {str(k).lower() for k in payload}
    )


def _is_result_wrapper(value):
    result = get_key(value, "Result") if isinstance(value, dict) else None
    return isinstance(result, dict) and any(str(k).lower() == "responsestatus" for k in result)


@dataclass(frozen=True)
class OperationResult:
    """The outcome of a successful Save, Draft, Delete, Submit, Audit, Push, ... call.

    ``settled`` is True when the answer was lost and the outcome was established afterwards
    by reading the documents back; ``status`` then holds what that reading found.
    """

    operation: str
    status: ResponseStatus
    id: int | str | None = None
    number: str | None = None
    need_return_data: tuple = ()
    settled: bool = False

    @classmethod
    def parse(cls, operation, payload, status):
        result = get_key(payload, "Result") if isinstance(payload, dict) else None
        result = result if isinstance(result, dict) else {}
        entities = status.success_entities
        record_id = as_id(get_key(result, "Id")) or (entities[0].id if len(entities) == 1 else None)
        number = get_key(result, "Number") or (entities[0].number if len(entities) == 1 else None)
        returned = get_key(result, "NeedReturnData") or ()
        return cls(operation, status, record_id, number or None, tuple(returned))

    @property
    def entities(self):
        return self.status.success_entities

    @property
    def ids(self):
        return [e.id for e in self.entities]

    @property
    def numbers(self):
        return [e.number for e in self.entities]

    @property
    def messages(self):
        return [m.message for m in self.status.success_messages]


@dataclass(frozen=True)
class RowOutcome:
    """What became of one input row of a BatchSave, found by its DIndex.

    A row that the reply mentions neither as saved nor as failed is ``unreported``: treat it
    like an unknown outcome and look the record up before writing it again.
    """

    index: int
    entity: SuccessEntity | None = None
    errors: tuple[ErpMessage, ...] = ()

    @property
    def ok(self):
        return self.entity is not None and not self.errors

    @property
    def unreported(self):
        return self.entity is None and not self.errors

    @property
    def message(self):
        return "; ".join(e.message for e in self.errors)


@dataclass(frozen=True)
class BatchSaveResult:
    """Per-row outcomes of a BatchSave (not atomic: saved rows stay saved)."""

    status: ResponseStatus
    rows: tuple[RowOutcome, ...]

    @classmethod
    def parse(cls, status, row_count):
        rows = []
        for index in range(row_count):
            entity = next((e for e in status.success_entities if e.dindex == index), None)
            errors = tuple(e for e in status.errors if e.dindex == index)
            rows.append(RowOutcome(index, entity, errors))
        return cls(status, tuple(rows))

    @property
    def saved(self):
        return [r for r in self.rows if r.ok]

    @property
    def failed(self):
        return [r for r in self.rows if r.errors]

    @property
    def unreported(self):
        return [r for r in self.rows if r.unreported]


def has_row_outcomes(status, row_count):
    """True when a BatchSave reply speaks about its rows (so rows are reported, not raised)."""
    indexed = [m.dindex for m in (*status.errors, *status.success_entities)]
    return any(i is not None and 0 <= i < row_count for i in indexed)
