"""What every shared-state backend has in common: the lock protocol and the calendar day."""

import logging
import random
import time
import uuid
from abc import ABC, abstractmethod
from contextlib import contextmanager
from datetime import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils.translation import gettext

from connectors.errors import TransientError
from connectors.retrying import capped_exponential

logger = logging.getLogger(__name__)

# Namespaces inside one key space, so a lock or a rate bucket never collides with a value
# stored under the same name by ``set``.
LOCK_PREFIX = "~lock:"
RATE_PREFIX = "~rate:"


class LockTimeout(TransientError):
    """A shared lock could not be had in time: another process holds it; try again later."""

    def __init__(self, key, wait_seconds):
        super().__init__(
            gettext(
                "The shared lock “%(key)s” is held by another worker and was not released within "
                "%(seconds)s s. The task will be retried; if this repeats, look for a stuck worker."
            )
            % {"key": key, "seconds": wait_seconds}
        )
        self.key = key


class SharedState(ABC):
    """Base class of the backends. Subclasses implement the storage primitives.

    ``clock`` returns seconds since the epoch; it dates entries, locks and rate-limit grants
    (Redis dates rate-limit grants with its own server clock instead).
    """

    poll_min_seconds = 0.005
    poll_max_seconds = 0.1

    def __init__(self, clock=time.time):
        self.clock = clock

    # --- locks ---------------------------------------------------------------------------
    @contextmanager
    def lock(self, key, ttl_seconds=30, wait_seconds=30):
        """Hold the shared lock ``key`` across all processes for the ``with`` block.

        Raises ``LockTimeout`` when the lock is not free within ``wait_seconds``. A holder
        that dies leaves the lock to expire after ``ttl_seconds``; release only frees a lock
        this holder still owns, so an expired holder never frees its successor's lock.
        """
        token = uuid.uuid4().hex
        self._wait_for_lock(key, token, ttl_seconds, wait_seconds)
        try:
            yield token
        finally:
            if not self._release_lock(key, token):
                # Only reachable when the block outlived ttl_seconds: say so, it may have overlapped.
                logger.warning("Shared lock %s expired before its holder released it", key)

    def _wait_for_lock(self, key, token, ttl_seconds, wait_seconds):
        deadline = time.monotonic() + wait_seconds
        polls = 0
        while not self._try_lock(key, token, ttl_seconds):
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise LockTimeout(key, wait_seconds)
            polls += 1
            pause = capped_exponential(polls, self.poll_min_seconds, self.poll_max_seconds)
            # Jitter keeps waiting processes from polling in lock-step.
            time.sleep(min(remaining, random.uniform(pause / 2, pause)))

    @abstractmethod
    def _try_lock(self, key, token, ttl_seconds):
        """Take the lock if it is free or expired; True when taken."""

    @abstractmethod
    def _release_lock(self, key, token):
        """Free the lock if ``token`` still owns it; True when it did."""

    # --- calendar ------------------------------------------------------------------------
    def today(self):
        """Today's date in ``settings.TIME_ZONE``: API quotas reset at local midnight."""
        return datetime.fromtimestamp(self.clock(), tz=ZoneInfo(settings.TIME_ZONE)).date()
