"""The tests' one clock: the process's wall clock frozen by ``time_machine``, moved only by the test.

The product takes ``clock=`` (seconds since the epoch) and ``now=`` (an aware datetime) where time
matters; tests pass this clock, or ``timezone.now()`` read under it, so both agree with every
``time.time()`` and ``timezone.now()`` the code under test reads for itself.
"""

import datetime as dt
import time

START = dt.datetime(2027, 1, 15, 8, 0, tzinfo=dt.UTC)  # 1_800_000_000 seconds since the epoch


class Clock:
    """Seconds since the epoch, frozen until the test advances them; a ``sleep`` that waits no time."""

    def __init__(self, time_machine, start=START):
        self._time_machine = time_machine
        self.slept = []
        self.move_to(start)

    def __call__(self):
        return time.time()

    def advance(self, seconds):
        self._time_machine.shift(seconds)

    def move_to(self, moment):
        self._time_machine.move_to(moment, tick=False)

    def sleep(self, seconds):
        """Move the clock on instead of waiting, and remember the wait."""
        self.slept.append(seconds)
        self.advance(seconds)
