"""The robots' signatures, computed the way the platforms document them.

钉钉 (加签): ``Base64(HMAC-SHA256(key=secret, msg=timestamp + "\\n" + secret))``, the timestamp in
milliseconds, both put in the URL (the sign URL-encoded). Sources: the platform's sample as
copied in aotubee/python-100-days ``tools/dingding_demo.py`` and jinhill/bash ``sendDingDing.sh``.

飞书 (签名校验): ``Base64(HMAC-SHA256(key=timestamp + "\\n" + secret, msg=b""))``, the timestamp
in seconds, both put in the JSON body. Source: go-gitea/gitea#34802 (follows the platform's Go
sample) and YourTongji/YourTJ-Credit-Serverless ``WEBHOOK_SETUP.md``.

Both platforms refuse a timestamp more than an hour from their clock (19021's own text says
"not within one hour"; 钉钉's sample comment says 1 hour).
"""

import base64
import hashlib
import hmac

TOLERANCE_SECONDS = 3600


def dingtalk_sign(secret, timestamp_ms):
    digest = hmac.new(secret.encode(), f"{timestamp_ms}\n{secret}".encode(), hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def feishu_sign(secret, timestamp):
    digest = hmac.new(f"{timestamp}\n{secret}".encode(), b"", hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def fresh(sent_seconds, now):
    return abs(now.timestamp() - sent_seconds) <= TOLERANCE_SECONDS
