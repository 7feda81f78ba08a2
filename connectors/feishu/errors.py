"""The bot's codes as typed errors (facts and sources in ``sandbox/im/feishu.py``)."""

from connectors.errors import AuthenticationError, PermanentError, RateLimitedError, TransientError

SYSTEM = "feishu"
TOKEN_INVALID = 19001  # unknown hook token [uncertain code]
SIGN_FAILED = 19021  # sign match fail or timestamp not within one hour
KEYWORDS = 19024  # Key Words Not Found [single source]
FREQUENCY = 11232  # frequency limited
BAD_REQUEST = 9499  # the platform's generic refusal; public clients retry it
RETRY_AFTER_SECONDS = 60


class KeywordMissingError(PermanentError):
    """The bot has keywords and the message contains none: add one to the channel's keywords."""


def error_for(code, message):
    """The typed error for a non-zero code."""
    if code in (TOKEN_INVALID, SIGN_FAILED):
        return AuthenticationError(message, system=SYSTEM, code=code)
    if code == KEYWORDS:
        return KeywordMissingError(message, system=SYSTEM, code=code)
    if code == FREQUENCY:
        return RateLimitedError(message, system=SYSTEM, code=code, retry_after=RETRY_AFTER_SECONDS)
    if code == BAD_REQUEST:
        # kubesphere/notification-manager retries 9499; a few attempts cost nothing here.
        return TransientError(message, system=SYSTEM, code=code)
    return PermanentError(message, system=SYSTEM, code=code)
