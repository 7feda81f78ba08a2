"""Posts alert events as JSON, signed like deliveries to our own webhook (``docs/webhook.md``).

Headers: ``X-Hub-Timestamp`` (Unix seconds) and ``X-Hub-Signature: sha256=<hex HMAC-SHA256 of
f"{timestamp}." + raw body>``, so a receiver can reuse the same verification code. 2xx is
success; 401/403 mean the secret is wrong; 429 and 5xx are retried later (the transport raises
``RateLimitedError`` / ``TransientError``); other 4xx are permanent.
"""

import hashlib
import hmac
import json
import time
from dataclasses import dataclass, field

from django.utils.translation import gettext

from connectors.errors import AuthenticationError, PermanentError
from connectors.http import HttpTransport

SYSTEM = "webhook"
TIMESTAMP_HEADER = "X-Hub-Timestamp"
SIGNATURE_HEADER = "X-Hub-Signature"


def sign(secret, timestamp, body):
    """The signature header value of ``body`` (bytes) sent at ``timestamp`` (Unix seconds)."""
    message = f"{timestamp}.".encode() + body
    return "sha256=" + hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class HubWebhookConfig:
    url: str
    secret: str = ""
    timeout: float = 10.0
    clock: callable = field(default=time.time, compare=False)

    def __repr__(self):
        return f"HubWebhookConfig(url=<hidden>, signed={bool(self.secret)})"


class HubWebhook:
    """One receiving URL; ``send_event`` raises typed errors."""

    def __init__(self, config, transport=None):
        self.config = config
        self.transport = transport or HttpTransport(SYSTEM, timeout=config.timeout, max_concurrency=1)

    def send_event(self, event):
        """POST ``event`` (a JSON-able dict); returns the HTTP status."""
        body = json.dumps(event, ensure_ascii=False, sort_keys=True).encode("utf-8")
        headers = {"Content-Type": "application/json; charset=utf-8"}
        if self.config.secret:
            timestamp = int(self.config.clock())
            headers[TIMESTAMP_HEADER] = str(timestamp)
            headers[SIGNATURE_HEADER] = sign(self.config.secret, timestamp, body)
        response = self.transport.post_json(self.config.url, data=body, headers=headers, operation="event")
        if response.status_code in (401, 403):
            raise AuthenticationError(
                gettext("The webhook refused the signature (HTTP %(status)s); check the shared secret.")
                % {"status": response.status_code},
                system=SYSTEM,
                code=response.status_code,
            )
        if response.status_code >= 300:
            raise PermanentError(
                gettext("The webhook answered HTTP %(status)s.") % {"status": response.status_code},
                system=SYSTEM,
                code=response.status_code,
            )
        return response.status_code

    def close(self):
        self.transport.close()
