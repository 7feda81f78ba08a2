"""Backoff and retry, written once for the connectors and the engine above them.

``capped_exponential`` is the schedule (base·2ⁿ⁻¹ after attempt n, never above a cap);
``full_jitter`` draws the wait uniformly below it, so many workers that failed together do
not come back together. ``RetryPolicy.run`` repeats one call on the error types it is told
to (by tenacity); ``RetryPolicy.rounds`` repeats a round over many records, where each
record keeps its own attempt count and only the ones that may pass go again.
"""

import random
import time
from dataclasses import dataclass, field

import tenacity
from django.conf import settings

from connectors.errors import TransientError


def capped_exponential(attempt, base, cap):
    """``base·2ⁿ⁻¹`` after attempt ``n`` (counted from 1), never more than ``cap``.

    Works for seconds and for ``timedelta`` alike.
    """
    return min(cap, base * (2 ** (attempt - 1)))


def full_jitter(rng, attempt, base_seconds, cap_seconds, retry_after=None):
    """Seconds to wait after attempt ``attempt``: uniform in [0, capped exponential].

    A ``retry_after`` the system asked for is honoured, up to ``cap_seconds``.
    """
    wait = rng.uniform(0, capped_exponential(attempt, base_seconds, cap_seconds))
    if retry_after:
        wait = max(wait, min(float(retry_after), cap_seconds))
    return wait


@dataclass
class RetryPolicy:
    """How often and how patiently a call is repeated: attempts, then full-jitter backoff.

    ``sleep`` and ``rng`` are injectable so tests run without waiting and deterministically.
    """

    max_attempts: int = field(default_factory=lambda: settings.INTEGRATION_HUB_HTTP_MAX_RETRIES + 1)
    base_seconds: float = field(default_factory=lambda: settings.INTEGRATION_HUB_RETRY_BASE_SECONDS)
    cap_seconds: float = field(default_factory=lambda: settings.INTEGRATION_HUB_RETRY_CAP_SECONDS)
    sleep: callable = time.sleep
    rng: random.Random = field(default_factory=random.Random)

    def delay(self, attempt, retry_after=None):
        """Seconds to wait before attempt number ``attempt + 1`` (``attempt`` counts from 1)."""
        return full_jitter(self.rng, attempt, self.base_seconds, self.cap_seconds, retry_after)

    def run(self, operation, *, retry_on=(TransientError,), retry_if=None, on_retry=None):
        """Call ``operation()`` until it succeeds, retrying errors of the types ``retry_on``.

        ``retry_if(error)``, when given, must also hold for an error to be retried. The last
        error is raised when attempts run out. ``on_retry(error, attempt)`` is called before
        each wait (for logging, counters or a heartbeat). A ``retry_after`` on the error is
        honoured by the wait.
        """
        retry = tenacity.retry_if_exception_type(retry_on)
        if retry_if is not None:
            retry = retry & tenacity.retry_if_exception(retry_if)
        retrying = tenacity.Retrying(
            retry=retry,
            stop=tenacity.stop_after_attempt(self.max_attempts),
            wait=self._wait,
            sleep=lambda seconds: self.sleep(float(seconds)),
            before_sleep=_calling(on_retry),
            reraise=True,
        )
        return retrying(operation)

    def rounds(self, round_, *, before_sleep=lambda: None, after_sleep=lambda: None):
        """Call ``round_(attempt)`` for attempt 1, 2, … until it returns ``None``.

        Any other answer means some of the round's work is to be tried again: it is the
        Retry-After the system asked for (0 for none), honoured by the wait before the next
        round. The round itself decides what has run out of attempts.
        """
        attempt = 1
        while (retry_after := round_(attempt)) is not None:
            before_sleep()
            self.sleep(self.delay(attempt, retry_after))
            after_sleep()
            attempt += 1

    def _wait(self, retry_state):
        # tenacity asks for the wait before it checks the stop: the attempt that ends the
        # retries draws no jitter, so a shared (seeded) rng is drawn only for waits slept.
        if retry_state.attempt_number >= self.max_attempts:
            return 0.0
        error = retry_state.outcome.exception()
        return self.delay(retry_state.attempt_number, getattr(error, "retry_after", None))


def _calling(on_retry):
    if on_retry is None:
        return None
    return lambda retry_state: on_retry(retry_state.outcome.exception(), retry_state.attempt_number)
