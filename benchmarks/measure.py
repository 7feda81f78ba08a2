"""What a step measures about its own process: wall time, CPU time, API waits, peak memory."""

import resource
import time
from contextlib import contextmanager
from dataclasses import asdict, dataclass

from connectors import http


@dataclass
class Measurement:
    """One step's figures. ``api_wait_seconds``: time spent waiting for the APIs' answers
    (summed per call by the HTTP transport); ``cpu_seconds``: this process's own CPU time
    (user + system), i.e. the engine's work; ``peak_rss_mb``: the process's peak resident
    memory over its whole life (Django itself included)."""

    wall_seconds: float = 0.0
    cpu_seconds: float = 0.0
    api_wait_seconds: float = 0.0
    peak_rss_mb: float = 0.0

    def as_dict(self):
        return {name: round(value, 3) for name, value in asdict(self).items()}


@contextmanager
def measuring():
    """Measure the block; the ``Measurement`` is filled in when the block ends."""
    figures = Measurement()
    waited = sum(http.WAITED_SECONDS.values())
    wall, cpu = time.monotonic(), time.process_time()
    try:
        yield figures
    finally:
        figures.wall_seconds = time.monotonic() - wall
        figures.cpu_seconds = time.process_time() - cpu
        figures.api_wait_seconds = sum(http.WAITED_SECONDS.values()) - waited
        figures.peak_rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
