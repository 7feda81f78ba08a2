"""All HTTP to external systems goes through here: timeouts, connection reuse, a concurrency
cap, transport-error classification and capped exponential backoff with full jitter.

Both systems answer business errors with HTTP 200, so retries on *business* codes are decided
by each client; this module classifies only what the transport itself sees.
"""

import logging
import random
import threading
import time
from collections import Counter
from dataclasses import dataclass, field

import requests
from django.conf import settings
from requests.adapters import HTTPAdapter

from connectors.errors import OutcomeUnknownError, RateLimitedError, TransientError

logger = logging.getLogger(__name__)

# Seconds this process has spent waiting for answers, per system: lets the benchmark tell
# the engine's own time from the time its calls spend in the remote systems.
WAITED_SECONDS = Counter()


@dataclass
class RetryPolicy:
    """Capped exponential backoff with full jitter (sleep uniform in [0, min(cap, base·2ⁿ)]).

    ``sleep`` and ``rng`` are injectable so tests run without waiting and deterministically.
    """

    max_attempts: int = field(default_factory=lambda: settings.INTEGRATION_HUB_HTTP_MAX_RETRIES + 1)
    base_seconds: float = field(default_factory=lambda: settings.INTEGRATION_HUB_RETRY_BASE_SECONDS)
    cap_seconds: float = field(default_factory=lambda: settings.INTEGRATION_HUB_RETRY_CAP_SECONDS)
    sleep: callable = time.sleep
    rng: random.Random = field(default_factory=random.Random)

    def delay(self, attempt, retry_after=None):
        """Seconds to wait before attempt number ``attempt + 1`` (``attempt`` counts from 1)."""
        ceiling = min(self.cap_seconds, self.base_seconds * (2 ** (attempt - 1)))
        wait = self.rng.uniform(0, ceiling)
        if retry_after is not None:
            wait = max(wait, min(float(retry_after), self.cap_seconds))
        return wait

    def run(self, operation, *, retry_on=(TransientError,), on_retry=None):
        """Call ``operation()`` until it succeeds, retrying the given error types.

        The last error is raised when attempts run out. ``on_retry(error, attempt)`` is called
        before each wait (for logging or counters).
        """
        attempt = 1
        while True:
            try:
                return operation()
            except retry_on as error:
                if attempt >= self.max_attempts:
                    raise
                if on_retry is not None:
                    on_retry(error, attempt)
                self.sleep(self.delay(attempt, getattr(error, "retry_after", None)))
                attempt += 1


class HttpTransport:
    """A shared ``requests.Session`` for one connector, with a per-process concurrency cap.

    ``post_json`` returns the response for status < 500 and raises typed errors otherwise.
    A write (``is_write=True``) whose request may have reached the server but whose answer
    was lost raises ``OutcomeUnknownError``; a request that provably never left (connection
    refused, connect timeout) is a plain ``TransientError`` and safe to repeat.
    """

    def __init__(self, system, *, timeout=None, max_concurrency=4):
        self.system = system
        self.timeout = timeout if timeout is not None else settings.INTEGRATION_HUB_HTTP_TIMEOUT
        self.session = requests.Session()
        adapter = HTTPAdapter(pool_connections=4, pool_maxsize=max(4, max_concurrency), max_retries=0)
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)
        self._slots = threading.BoundedSemaphore(max_concurrency)

    def post_json(self, url, *, json=None, data=None, headers=None, is_write=False, operation=""):
        """POST and return the ``requests.Response``; raise typed errors for transport failures."""
        started = time.monotonic()
        with self._slots:
            try:
                response = self.session.post(url, json=json, data=data, headers=headers, timeout=self.timeout)
            except requests.RequestException as error:
                self._log(operation, "error", started, type(error).__name__)
                raise self._classify(error, is_write, operation) from error
        self._log(operation, response.status_code, started)
        if response.status_code == 429 or response.status_code == 503:
            raise RateLimitedError(
                f"{self.system} answered HTTP {response.status_code}",
                system=self.system,
                code=response.status_code,
                retry_after=_retry_after(response),
            )
        if response.status_code >= 500:
            message = f"{self.system} answered HTTP {response.status_code} to {operation or url}"
            if is_write:
                # A server error after the body arrived: the write may or may not have been applied.
                raise OutcomeUnknownError(message, system=self.system, code=response.status_code)
            raise TransientError(message, system=self.system, code=response.status_code)
        return response

    def _classify(self, error, is_write, operation):
        what = operation or "call"
        if _never_sent(error):
            return TransientError(
                f"cannot reach {self.system} ({what}): {type(error).__name__}", system=self.system
            )
        if is_write:
            return OutcomeUnknownError(
                f"no answer from {self.system} to {what} ({type(error).__name__}); the write may have been applied",
                system=self.system,
            )
        return TransientError(
            f"no answer from {self.system} to {what}: {type(error).__name__}", system=self.system
        )

    def _log(self, operation, status, started, detail=""):
        elapsed = time.monotonic() - started
        WAITED_SECONDS[self.system] += elapsed
        # Never the URL's query, the body or headers: they can hold tokens and session ids.
        logger.info("%s %s -> %s in %.0f ms %s", self.system, operation, status, elapsed * 1000, detail)

    def close(self):
        self.session.close()


def _never_sent(error):
    """True when the request cannot have reached the server (safe to repeat a write)."""
    if isinstance(error, requests.ConnectTimeout):
        return True
    if isinstance(error, requests.ConnectionError):
        text = repr(error)
        return "NewConnectionError" in text or "Connection refused" in text or "NameResolutionError" in text
    return isinstance(error, (requests.exceptions.InvalidURL, requests.exceptions.MissingSchema))


def _retry_after(response):
    value = response.headers.get("Retry-After")
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None
