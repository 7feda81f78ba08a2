"""What every client call passes through: its connector's circuit breaker, and a shared note
when the connector's daily quota runs out.

The guard wraps a whole call *including its retries*: while the breaker is open a call
raises ``CircuitOpenError`` at once and spends no retry; a call that still fails after its
retries counts as one failure. ``fail_max`` and the cool-down come from settings.
"""

import time

from django.conf import settings

from connectors import quota
from connectors.breaker import CircuitBreaker
from connectors.errors import QuotaExhaustedError
from connectors.state import get_state


def connector_breaker(connector_key, state=None, clock=time.time):
    """The circuit breaker of ``connector_key`` with the configured limits."""
    return CircuitBreaker(
        connector_key,
        state=state if state is not None else get_state(),
        fail_max=settings.INTEGRATION_HUB_BREAKER_FAIL_MAX,
        reset_timeout=settings.INTEGRATION_HUB_BREAKER_RESET_SECONDS,
        clock=clock,
    )


class CallGuard:
    """Guards the calls of one connector (``connector_key``) in one client."""

    def __init__(self, connector_key, state=None, clock=None):
        self.connector_key = connector_key
        self.state = state if state is not None else get_state()
        # The shared state's clock by default, so a test's frozen clock drives the cool-down too.
        self.clock = clock or getattr(self.state, "clock", time.time)
        self.breaker = connector_breaker(connector_key, self.state, self.clock)

    def call(self, fn):
        """Run ``fn()`` (a call with its retries) through the breaker; return its result."""
        try:
            return self.breaker.call(fn)
        except QuotaExhaustedError as error:
            quota.note_exhausted(self.connector_key, error.resets_at, self.state, self.clock)
            raise
