"""How the engine reacts to each kind of connector error, and how long it waits before retrying."""

from datetime import timedelta

from connectors.errors import (
    AuthExpiredError,
    CircuitOpenError,
    ConnectorError,
    OutcomeUnknownError,
    QuotaExhaustedError,
    TransientError,
)
from connectors.retrying import RetryPolicy

RETRY = "retry"  # may pass: try again after a backoff
UNKNOWN = "unknown"  # a write whose answer was lost: look it up before writing again
PAUSE = "pause"  # the daily quota is used up: pause the run until it resets
DEFER = "defer"  # the connector's breaker is open: put the batch back, spend no attempt
FAIL = "fail"  # retrying cannot help

# Without a reset time from the system, a paused run looks again after this long.
DEFAULT_PAUSE = timedelta(hours=1)


class PauseRun(Exception):
    """The daily quota is exhausted; the run waits until ``resets_at``."""

    def __init__(self, error, resets_at):
        super().__init__(str(error))
        self.error = error
        self.resets_at = resets_at


class DeferBatch(Exception):
    """The connector asked us to stop for ``retry_after`` seconds; the batch goes back."""

    def __init__(self, error, retry_after):
        super().__init__(str(error))
        self.error = error
        self.retry_after = retry_after


def classify(error):
    """One of ``RETRY``, ``UNKNOWN``, ``PAUSE``, ``DEFER``, ``FAIL`` for a connector error."""
    if isinstance(error, QuotaExhaustedError):
        return PAUSE
    if isinstance(error, CircuitOpenError):
        return DEFER
    if isinstance(error, OutcomeUnknownError):
        return UNKNOWN
    if isinstance(error, TransientError | AuthExpiredError):
        return RETRY
    return FAIL


def stop_for(error, now):
    """The exception that stops a batch for ``error`` (a ``PAUSE`` or ``DEFER`` error)."""
    if classify(error) == PAUSE:
        return PauseRun(error, getattr(error, "resets_at", None) or now + DEFAULT_PAUSE)
    return DeferBatch(error, getattr(error, "retry_after", None) or 30.0)


def may_pass(error):
    """True for an error worth trying again after a backoff (``RETRY`` or ``UNKNOWN``)."""
    return classify(error) in (RETRY, UNKNOWN)


def policy(ctx):
    """The flow's retry policy: its attempts and backoff, with the run's ``sleep`` and ``rng``."""
    options = ctx.options
    return RetryPolicy(
        max_attempts=options.max_attempts,
        base_seconds=options.retry_base_seconds,
        cap_seconds=options.retry_cap_seconds,
        sleep=ctx.sleep,
        rng=ctx.rng,
    )


def is_connector_error(error):
    return isinstance(error, ConnectorError)
