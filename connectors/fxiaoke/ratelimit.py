"""Waiting for a permit of a shared sliding-window budget before each call."""

import time
import uuid
from contextlib import contextmanager

from django.utils.translation import gettext

from connectors.errors import RateLimitedError

# How many whole periods a caller waits for a permit before giving the work back to the
# scheduler: under normal load a permit comes within one period.
MAX_WAIT_PERIODS = 3


class RateGate:
    """Takes a permit from ``state.acquire_rate`` per call, sleeping while there is none.

    The bucket lives in the shared connector state, so every process and worker of the
    connector spends one budget per interface. Waits are counted, not timed, so an injected
    ``sleep`` keeps tests deterministic.

    A call made with ``call`` holds its permit until its answer arrives and counts from
    then: a request the machine was slow to send (a busy CPU, a long queue in the network)
    may reach the CRM well after its permit was granted, and must still fall in every window
    the CRM counts it in.
    """

    def __init__(self, state, *, sleep=time.sleep):
        self.state = state
        self.sleep = sleep

    @contextmanager
    def call(self, bucket, limit, period_seconds, hold_seconds):
        """Hold a permit for the ``with`` block, one call; a permit whose holder never comes
        back frees after ``hold_seconds`` (make it the call's longest possible duration)."""
        permit = uuid.uuid4().hex
        self.acquire(bucket, limit, period_seconds, permit=permit, hold_seconds=hold_seconds)
        try:
            yield
        finally:
            self.state.finish_rate_call(bucket, permit, period_seconds)

    def acquire(self, bucket, limit, period_seconds, permit=None, hold_seconds=None):
        """Return once a permit is taken; raise ``RateLimitedError`` after waiting too long."""
        waited, patience = 0.0, MAX_WAIT_PERIODS * period_seconds
        while True:
            wait = self.state.acquire_rate(bucket, limit, period_seconds, permit, hold_seconds)
            if wait <= 0:
                return
            if waited + wait > patience:
                raise RateLimitedError(
                    gettext(
                        "The Fxiaoke call budget for %(bucket)s stayed used up for %(seconds)s s; "
                        "the work is handed back to be retried later."
                    )
                    % {"bucket": bucket, "seconds": patience},
                    system="fxiaoke",
                    retry_after=wait,
                )
            self.sleep(wait)
            waited += wait
