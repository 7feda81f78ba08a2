"""A circuit breaker per connector, kept in the shared connector state so every worker process
sees it trip, wait and recover together.

Closed: calls go through; ``fail_max`` consecutive transient failures (across all processes)
open it. Open: calls raise ``CircuitOpenError`` at once, so the engine reschedules them
without spending attempts. After ``reset_timeout`` it is half-open: exactly one caller wins
the probe (claimed under a shared lock); its success closes the breaker, its failure opens it
for another ``reset_timeout``. A prober that dies leaves its claim to go stale after
``reset_timeout``, so the breaker never stays half-open for good.

As in pybreaker, an answer that is not a transient failure (validation, not found, expired
session, exhausted quota) counts as a success: the remote system is up and answering.
"""

import time

from django.utils.translation import gettext

from connectors.errors import CircuitOpenError, ConnectorError, OutcomeUnknownError, TransientError
from connectors.state import LockTimeout, get_state

FAILURES = (TransientError, OutcomeUnknownError)
# Waits of our own making say nothing about the remote system's health.
OWN_WAITS = (CircuitOpenError, LockTimeout)


class CircuitBreaker:
    """The breaker of one connector (``key``, e.g. ``"k3cloud:default"``)."""

    def __init__(self, key, state=None, fail_max=5, reset_timeout=60, clock=time.time):
        self.key = key
        self.state = state if state is not None else get_state()
        self.fail_max = fail_max
        self.reset_timeout = reset_timeout
        self.clock = clock
        # The circuit entry is absent while closed, else {"opened_at": t, "probe_at": t | None}.
        self._circuit_key = f"breaker:{key}"
        self._failures_key = f"breaker:{key}:failures"

    def call(self, fn):
        """Run ``fn()`` through the breaker and return its result.

        Raises ``CircuitOpenError`` without calling ``fn`` while the breaker is open or
        another caller holds the half-open probe. Errors from ``fn`` are re-raised.
        """
        probe = self._admit()
        try:
            result = fn()
        except OWN_WAITS:
            self._abandon(probe)
            raise
        except FAILURES:
            self._failed(probe)
            raise
        except ConnectorError:
            self._answered(probe)
            raise
        except Exception:
            self._abandon(probe)
            raise
        self._answered(probe)
        return result

    def state_name(self):
        """``"closed"``, ``"open"`` or ``"half_open"`` (a probe is due or running)."""
        circuit = self.state.get(self._circuit_key)
        if circuit is None:
            return "closed"
        return "open" if self.clock() < self._reopens_at(circuit) else "half_open"

    def record_success(self):
        """Count a successful call: it ends a run of failures and, from a probe, closes."""
        circuit = self.state.get(self._circuit_key)
        self._answered(probe=circuit is not None and circuit.get("probe_at") is not None)

    def record_failure(self):
        """Count a transient failure: the ``fail_max``-th in a row, or a probe's, opens."""
        circuit = self.state.get(self._circuit_key)
        self._failed(probe=circuit is not None and circuit.get("probe_at") is not None)

    # --- transitions ---------------------------------------------------------------------
    def _admit(self):
        """False when closed, True for the one caller that may probe; raises when open."""
        circuit = self.state.get(self._circuit_key)
        if circuit is None:
            return False
        self._refuse_while_open(circuit)
        return self._claim_probe()

    def _claim_probe(self):
        try:
            # wait_seconds=0: whoever is already deciding will be the prober, not us.
            with self.state.lock(self._circuit_key, ttl_seconds=10, wait_seconds=0):
                circuit = self.state.get(self._circuit_key)
                if circuit is None:
                    return False  # another caller's probe closed it meanwhile
                self._refuse_while_open(circuit)
                self.state.set(self._circuit_key, {**circuit, "probe_at": self.clock()})
                return True
        except LockTimeout:
            raise self._open_error(self.reset_timeout) from None

    def _refuse_while_open(self, circuit):
        now = self.clock()
        resumes_at = self._reopens_at(circuit)
        if circuit.get("probe_at") is not None:
            # A probe is running; its claim goes stale if the prober died.
            resumes_at = max(resumes_at, circuit["probe_at"] + self.reset_timeout)
        if now < resumes_at:
            raise self._open_error(resumes_at - now)

    def _failed(self, probe):
        failures = self.state.incr(self._failures_key)
        if probe or (failures >= self.fail_max and self.state.get(self._circuit_key) is None):
            self.state.set(self._circuit_key, {"opened_at": self.clock(), "probe_at": None})

    def _answered(self, probe):
        self.state.delete(self._failures_key)
        if probe:
            self.state.delete(self._circuit_key)

    def _abandon(self, probe):
        """The call ended for a reason of our own, not the remote's: free the probe, if held."""
        if probe:
            circuit = self.state.get(self._circuit_key)
            if circuit is not None:
                self.state.set(self._circuit_key, {**circuit, "probe_at": None})

    def _reopens_at(self, circuit):
        return circuit["opened_at"] + self.reset_timeout

    def _open_error(self, retry_after):
        message = gettext(
            "Calls to %(connector)s are paused after repeated failures of the remote system; "
            "they resume automatically in %(seconds)d s."
        ) % {"connector": self.key, "seconds": max(1, round(retry_after))}
        return CircuitOpenError(message, system=self.key.split(":")[0], retry_after=retry_after)
