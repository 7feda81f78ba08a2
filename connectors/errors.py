"""Typed connector errors: the engine branches on the type, never on message text.

- ``TransientError``: back off and retry (``RateLimitedError`` says how long to wait).
- ``PermanentError``: record the failure and move on; retrying cannot help.
- ``AuthExpiredError``: the token or session is gone; refresh once and repeat.
- ``QuotaExhaustedError``: the daily call quota is used up; pause until it resets.
- ``OutcomeUnknownError``: a write was sent but no answer came back; the record may or may
  not exist in the target, so look it up before writing again — never repeat blindly.
- ``CircuitOpenError``: the connector's breaker is open; reschedule without spending attempts.
"""


class ConnectorError(Exception):
    """Base class: carries the remote system's own words so people can act on them."""

    def __init__(self, message, *, system="", code=None, field=None, trace_id=None, details=None):
        super().__init__(message)
        self.message = str(message)
        self.system = system
        self.code = code
        self.field = field
        self.trace_id = trace_id
        self.details = details or []

    def __str__(self):
        parts = [self.message]
        if self.field:
            parts.append(f"[{self.field}]")
        if self.code not in (None, ""):
            parts.append(f"(code {self.code})")
        if self.trace_id:
            parts.append(f"traceId={self.trace_id}")
        return " ".join(parts)


class TransientError(ConnectorError):
    """A failure that may pass: network trouble, 5xx, busy, lock conflict."""


class RateLimitedError(TransientError):
    """The remote system said "too many calls"; wait ``retry_after`` seconds."""

    def __init__(self, message, *, retry_after=None, **kwargs):
        super().__init__(message, **kwargs)
        self.retry_after = retry_after


class CircuitOpenError(TransientError):
    """Calls to this connector are paused by its circuit breaker until ``retry_after``."""

    def __init__(self, message, *, retry_after=None, **kwargs):
        super().__init__(message, **kwargs)
        self.retry_after = retry_after


class PermanentError(ConnectorError):
    """Validation, duplicates, missing references, permissions: fix the data or the mapping."""


class NotFoundError(PermanentError):
    """The record asked for does not exist in the remote system."""


class AuthenticationError(PermanentError):
    """The credentials are wrong (bad secret, unknown account set, unknown user)."""


class AuthExpiredError(ConnectorError):
    """The token or session expired; the client refreshes once and repeats the call."""


class QuotaExhaustedError(ConnectorError):
    """The daily call quota is used up; ``resets_at`` is when calls may resume (aware datetime)."""

    def __init__(self, message, *, resets_at=None, **kwargs):
        super().__init__(message, **kwargs)
        self.resets_at = resets_at


class OutcomeUnknownError(ConnectorError):
    """A write was sent and its answer was lost (timeout, dropped connection).

    The write may have been applied. Callers settle it by looking the record up.
    """
