"""钉钉 加签: ``Base64(HMAC-SHA256(key=secret, msg=f"{timestamp}\\n{secret}"))``, then URL-encoded.

``timestamp`` is in milliseconds and must be within an hour of the platform's clock. Source:
the platform's sample as copied in aotubee/python-100-days ``tools/dingding_demo.py`` (and the
Go client in jackwong7/dingTalkMonitorServer ``vendor/github.com/jackwong7/dingtalk/bot.go``).
"""

import base64
import hashlib
import hmac
from urllib.parse import quote_plus


def sign(secret, timestamp_ms):
    """The Base64 signature (not yet URL-encoded) for ``timestamp_ms``."""
    digest = hmac.new(secret.encode(), f"{timestamp_ms}\n{secret}".encode(), hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def signed_url(url, secret, timestamp_ms):
    """``url`` with ``timestamp`` and the URL-encoded ``sign`` appended."""
    return f"{url}&timestamp={timestamp_ms}&sign={quote_plus(sign(secret, timestamp_ms))}"
