"""The Open API's ``errorCode`` → typed connector errors.

Every answer arrives with HTTP 200, so the code in the body decides. Only codes are
compared, never ``errorMessage`` (its wording changes between releases and languages).
``errorDescription`` and ``traceId`` are optional: the live platform leaves the description
out of its token errors on business calls (20016, 20017), and the token endpoint's traceId is
the gateway's (``open-api-gateway-web/…``) rather than an ``E-O.…`` one.
"""

import logging
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils.translation import gettext

from connectors.errors import (
    AuthenticationError,
    AuthExpiredError,
    OutcomeUnknownError,
    PermanentError,
    QuotaExhaustedError,
    RateLimitedError,
    TransientError,
)
from connectors.redaction import redact_text

logger = logging.getLogger(__name__)

SYSTEM = "fxiaoke"
# The daily quota resets at midnight in the CRM's time zone (Beijing time).
QUOTA_TIME_ZONE = ZoneInfo("Asia/Shanghai")

# Busy (-1), system error (-2), server-side timeout (50009).
TRANSIENT_CODES = frozenset({-1, -2, 50009})
# "Call limit exceeded" and "too frequent": the call was refused, never executed.
RATE_LIMIT_CODES = frozenset({14001, 30004})
# corpAccessToken missing or expired (20016); appAccessToken expired (20005).
TOKEN_EXPIRED_CODES = frozenset({20016, 20005})
QUOTA_CODES = frozenset({30002})
# Credentials, the company authorisation or the integration user are wrong: a person must act.
# A bad appId or appSecret is 20006 in the code table but 10006 live (one public capture, a
# probe with fake credentials: fxp/skillify, skills/fxiaoke/data/probe-log.md P2), so both are
# read alike. 20017 is live for a call with no corpAccessToken (the table: "corpId not found").
AUTHENTICATION_CODES = frozenset(
    {10006, 20006, 20015, 20012, 20014, 20017, 20020, 20021, 20022, 20023, 15003, 30027}
)


def classify(code, *, is_write=False):
    """The error class for a non-zero ``errorCode``.

    A write answered "busy", "system error" or "timeout" may have been applied before the
    CRM gave up, so it becomes ``OutcomeUnknownError``: the engine looks the record up
    instead of repeating a create blindly. Rate-limit answers are refusals, safe to repeat.
    """
    if code in RATE_LIMIT_CODES:
        return RateLimitedError
    if code in TRANSIENT_CODES:
        return OutcomeUnknownError if is_write else TransientError
    if code in TOKEN_EXPIRED_CODES:
        return AuthExpiredError
    if code in QUOTA_CODES:
        return QuotaExhaustedError
    if code in AUTHENTICATION_CODES:
        return AuthenticationError
    return PermanentError


def error_code(reply):
    """The reply's ``errorCode`` as an int (0 when absent: success payloads may omit it)."""
    value = reply.get("errorCode", 0)
    try:
        return int(value)
    except (TypeError, ValueError):
        # A code that is not a number is still a failure; keep it distinct from every known code.
        return -99999


def next_quota_reset(now=None):
    """The next 00:00 in Beijing time after ``now`` (an aware datetime; default: now)."""
    local = (now or datetime.now(QUOTA_TIME_ZONE)).astimezone(QUOTA_TIME_ZONE)
    return datetime.combine(local.date() + timedelta(days=1), time.min, tzinfo=QUOTA_TIME_ZONE)


def error_from_reply(reply, *, context, is_write=False, retry_after=None, now=None):
    """The typed error for a reply, or None when ``errorCode`` is 0.

    ``context`` names what was being done ("create SalesOrderObj"), so the message says
    which call failed; the CRM's own words and ``traceId`` are kept for support requests.
    """
    code = error_code(reply)
    if code == 0:
        return None
    crm_message = redact_text(str(reply.get("errorMessage") or reply.get("errorDescription") or ""))
    trace_id = reply.get("traceId") or None
    error_class = classify(code, is_write=is_write)
    message = _message(error_class, context, crm_message, code)
    logger.info("fxiaoke %s -> errorCode %s traceId=%s", context, code, trace_id)
    kwargs = {"system": SYSTEM, "code": code, "trace_id": trace_id, "details": _details(reply)}
    if error_class is RateLimitedError:
        return RateLimitedError(message, retry_after=retry_after, **kwargs)
    if error_class is QuotaExhaustedError:
        return QuotaExhaustedError(message, resets_at=next_quota_reset(now), **kwargs)
    return error_class(message, **kwargs)


def _message(error_class, context, crm_message, code):
    values = {"context": context, "crm": crm_message or gettext("no message"), "code": code}
    if error_class is OutcomeUnknownError:
        return (
            gettext(
                "Fxiaoke answered “%(crm)s” to %(context)s; the write may or may not have been "
                "applied. Look the record up in the CRM before writing it again."
            )
            % values
        )
    if error_class is QuotaExhaustedError:
        return (
            gettext(
                "Fxiaoke's daily Open API quota is used up (%(context)s: “%(crm)s”). Calls resume "
                "after midnight Beijing time, or buy another call pack."
            )
            % values
        )
    return gettext("Fxiaoke refused %(context)s: %(crm)s") % values


def _details(reply):
    description = reply.get("errorDescription")
    if description and description != reply.get("errorMessage"):
        return [redact_text(str(description))]
    return []
