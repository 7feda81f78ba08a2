"""The shapes of the ERP's replies.

Success replies carry no ``ErrorCode`` key; failures carry ``"ErrorCode": 500``. Queries
answer a bare list of rows, and their errors as ``[[{"Result": ...}]]``.
"""

from dataclasses import dataclass, field

MSG_OK = 0
MSG_SESSION_LOST = 1
MSG_EXCEPTION = 4
MSG_FORM_EMPTY = 5
MSG_BAD_PARAMETER = 8
MSG_FIELD_MISSING = 9
MSG_NOT_FOUND = 10
MSG_VALIDATION = 11
MSG_NOT_OPERABLE = 12
MSG_LOCK_CONFLICT = 13
MSG_CALL_LIMIT = 14


def message(text, field_name=None, index=0):
    """One entry of Errors or SuccessMessages."""
    return {"FieldName": field_name, "Message": text, "DIndex": index}


def entity(record_id, number, index=0):
    """One entry of SuccessEntitys."""
    return {"Id": record_id, "Number": number, "DIndex": index}


@dataclass
class Status:
    """A ResponseStatus being built."""

    errors: list = field(default_factory=list)
    successes: list = field(default_factory=list)
    messages: list = field(default_factory=list)
    msg_code: int = MSG_OK

    def fail(self, text, field_name=None, index=0, msg_code=MSG_VALIDATION):
        self.errors.append(message(text, field_name, index))
        if self.msg_code == MSG_OK:
            self.msg_code = msg_code

    @property
    def ok(self):
        return not self.errors

    def as_dict(self):
        body = {
            "IsSuccess": self.ok,
            "Errors": self.errors,
            "SuccessEntitys": self.successes,
            "SuccessMessages": self.messages,
            "MsgCode": self.msg_code if self.errors else MSG_OK,
        }
        return body if self.ok else {"ErrorCode": 500, **body}


def result(status, **extra):
    """``{"Result": {"ResponseStatus": ..., **extra}}``."""
    return {"Result": {"ResponseStatus": status.as_dict(), **extra}}


def failure(text, msg_code, field_name=None):
    """A whole-call failure reply."""
    status = Status()
    status.fail(text, field_name, 0, msg_code)
    return result(status)


def query_failure(text, msg_code):
    """A failure as the query services answer it: ``[[{"Result": ...}]]``."""
    return [[failure(text, msg_code)]]


@dataclass
class Reply:
    """What a service answers: the JSON payload, and what the call log records of it."""

    payload: object
    outcome: str = "ok"
    rows: int = 0
    cookies: dict = field(default_factory=dict)
