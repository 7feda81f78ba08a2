"""Keeps secrets out of log lines, stored responses and error texts."""

import logging
import re

# Keys whose values are secrets in either system's requests and replies.
SECRET_KEYS = (
    "appSecret",
    "app_secret",
    "permanentCode",
    "permanent_code",
    "corpAccessToken",
    "password",
    "KDSVCSessionId",
    "SessionId",
    "kdservice-sessionid",
    "ASP.NET_SessionId",
    "sign",
    "X-Kd-Signature",
    "X-Api-Signature",
    "Authorization",
    "Cookie",
    "access_token",  # 钉钉 robot URLs
)
REDACTED = "***"

_KEY_ALTERNATION = "|".join(re.escape(k) for k in SECRET_KEYS)
# "key": "value"  |  key=value  |  key: value  (JSON bodies, query strings, header dumps)
_PATTERNS = [
    re.compile(r'(?i)("(?:' + _KEY_ALTERNATION + r')"\s*:\s*")([^"]*)(")'),
    re.compile(r"(?i)('(?:" + _KEY_ALTERNATION + r")'\s*:\s*')([^']*)(')"),
    re.compile(r"(?i)\b((?:" + _KEY_ALTERNATION + r")=)([^;&\s,]+)()"),
    re.compile(r"(?i)\b((?:" + _KEY_ALTERNATION + r"):\s*)([^\s,;]+)()"),
]
# Group robots whose URL itself is the credential: 企业微信 ``webhook/send?key=…`` and 飞书
# ``bot/v2/hook/<token>`` (urllib3 logs request lines at DEBUG).
_PATTERNS += [
    re.compile(r"(webhook/send\?key=)([^&\s\"']+)()"),
    re.compile(r"(/bot/v2/hook/)([^/?&\s\"']+)()"),
]
_SECRET_KEYS_LOWER = {k.lower() for k in SECRET_KEYS}


def redact_text(text):
    """Return ``text`` with the values of known secret keys replaced by ``***``."""
    if not text:
        return text
    for pattern in _PATTERNS:
        text = pattern.sub(lambda m: m.group(1) + REDACTED + m.group(3), text)
    return text


def redact_data(value):
    """Return a deep copy of a JSON-like value with secret keys' values replaced."""
    if isinstance(value, dict):
        return {
            k: (REDACTED if str(k).lower() in _SECRET_KEYS_LOWER else redact_data(v))
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [redact_data(v) for v in value]
    if isinstance(value, str):
        return redact_text(value)
    return value


class RedactSecretsFilter(logging.Filter):
    """Logging filter that redacts secret values in every record's final message."""

    def filter(self, record):
        message = record.getMessage()
        redacted = redact_text(message)
        if redacted != message:
            record.msg, record.args = redacted, None
        return True
