"""飞书 签名校验: ``Base64(HMAC-SHA256(key=f"{timestamp}\\n{secret}", msg=b""))``.

Note the inversion against 钉钉: the timestamp-and-secret string is the *key* and the message
is empty. ``timestamp`` is in seconds, sent as text in the JSON body beside ``sign``, and must
be within an hour of the platform's clock. Sources: go-gitea/gitea#34802 (after the platform's
Go sample) and YourTongji/YourTJ-Credit-Serverless ``WEBHOOK_SETUP.md``.
"""

import base64
import hashlib
import hmac


def sign(secret, timestamp):
    """The Base64 signature for ``timestamp`` (Unix seconds)."""
    digest = hmac.new(f"{timestamp}\n{secret}".encode(), b"", hashlib.sha256).digest()
    return base64.b64encode(digest).decode()
