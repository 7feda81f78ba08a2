"""The robot's errcodes as typed errors (facts and sources in ``sandbox/im/dingtalk.py``).

310000 covers three refusals with different remedies (bad sign, old timestamp, keywords not in
content), told apart only by errmsg; this is the one place its text is read, so the rest of the
hub can branch on the type.
"""

from connectors.errors import AuthenticationError, PermanentError, RateLimitedError, TransientError

SYSTEM = "dingtalk"
SECURITY = 310000  # sign not match / invalid timestamp / keywords not in content
TOO_FAST = 130101  # more than 20 a minute for this robot
TOKEN_NOT_EXIST = 300001  # unknown access token [uncertain code]
TOO_LONG = 460101  # over 20000 bytes [uncertain code]
BUSY = -1
RETRY_AFTER_SECONDS = 60


class KeywordMissingError(PermanentError):
    """The robot has keywords and the message contains none: add one to the channel's keywords."""


def error_for(code, message):
    """The typed error for a non-zero errcode."""
    if code == SECURITY:
        if "keyword" in message:
            return KeywordMissingError(message, system=SYSTEM, code=code)
        return AuthenticationError(message, system=SYSTEM, code=code)
    if code == TOKEN_NOT_EXIST:
        return AuthenticationError(message, system=SYSTEM, code=code)
    if code == TOO_FAST:
        return RateLimitedError(message, system=SYSTEM, code=code, retry_after=RETRY_AFTER_SECONDS)
    if code == BUSY:
        return TransientError(message, system=SYSTEM, code=code)
    return PermanentError(message, system=SYSTEM, code=code)
