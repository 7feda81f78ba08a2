"""The robot's errcodes as typed errors (facts and sources in ``sandbox/im/wecom.py``)."""

from connectors.errors import AuthenticationError, PermanentError, RateLimitedError, TransientError

SYSTEM = "wecom"
INVALID_WEBHOOK_URL = 93000  # unknown or removed key: fix the channel's URL
FREQUENCY = 45009  # more than 20 a minute for this robot
TOO_LONG = 40058  # content over its byte limit
BUSY = -1  # WeChat's general "system busy"
# The per-minute window: waiting this long always lets the next message through.
RETRY_AFTER_SECONDS = 60


def error_for(code, message):
    """The typed error for a non-zero errcode; unknown codes are permanent (fix and resend)."""
    if code == INVALID_WEBHOOK_URL:
        return AuthenticationError(message, system=SYSTEM, code=code)
    if code == FREQUENCY:
        return RateLimitedError(message, system=SYSTEM, code=code, retry_after=RETRY_AFTER_SECONDS)
    if code == BUSY:
        return TransientError(message, system=SYSTEM, code=code)
    return PermanentError(message, system=SYSTEM, code=code)
