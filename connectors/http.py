"""All HTTP to external systems goes through here: timeouts, connection reuse, a concurrency
cap and transport-error classification (the retries around it: ``connectors.retrying``).

Both systems answer business errors with HTTP 200, so retries on *business* codes are decided
by each client; this module classifies only what the transport itself sees.
"""

import logging
import threading
import time
from collections import Counter

import requests
import urllib3.exceptions
from django.conf import settings
from requests.adapters import HTTPAdapter

from connectors.errors import OutcomeUnknownError, RateLimitedError, TransientError

logger = logging.getLogger(__name__)

# Seconds this process has spent waiting for answers, per system: lets the benchmark tell
# the engine's own time from the time its calls spend in the remote systems.
WAITED_SECONDS = Counter()


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
    """True when the request cannot have reached the server (safe to repeat a write).

    Decided by the exception's type alone. Proven never sent:
    - ``ConnectTimeout``: the TCP connection to the server (or its proxy) never opened;
    - a ``ConnectionError`` whose urllib3 reason is a ``NewConnectionError`` (connection
      refused, host unreachable) or its subclass ``NameResolutionError`` (the name did not
      resolve), also when it came from connecting to a proxy;
    - ``InvalidURL``, ``MissingSchema``: the request was refused before anything was sent.
    Uncertain, so taken as possibly applied: ``ReadTimeout`` (sent, answer lost), a
    connection aborted or reset (``ProtocolError``: a pooled connection may have carried
    the request first), ``SSLError`` (mostly the handshake, but urllib3 raises it for TLS
    failures after the request went out too), ``ChunkedEncodingError`` and the rest.
    """
    if isinstance(error, requests.ConnectTimeout):
        return True
    if isinstance(error, requests.ConnectionError):
        return isinstance(_connection_failure(error), urllib3.exceptions.NewConnectionError)
    return isinstance(error, (requests.exceptions.InvalidURL, requests.exceptions.MissingSchema))


def _connection_failure(error):
    """What urllib3 says went wrong under a ``requests.ConnectionError`` (None if it says nothing)."""
    exhausted = error.args[0] if error.args else None
    reason = getattr(exhausted, "reason", None)
    # Through a proxy, the failure to connect to it is wrapped once more.
    return getattr(reason, "original_error", reason)


def _retry_after(response):
    value = response.headers.get("Retry-After")
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None
