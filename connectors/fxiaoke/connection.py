"""The "Test connection" check: each failure told in words an administrator can act on."""

from django.utils.translation import gettext

from connectors.checks import ConnectionCheck
from connectors.errors import (
    ConnectorError,
    QuotaExhaustedError,
    RateLimitedError,
    TransientError,
)

# Token step: the app credentials and the company's authorisation. The live token endpoint
# answers a fake appId or secret with 10006; the code table documents 20006 for it.
SECRET_CODES = frozenset({10006, 20006})
PERMANENT_CODE_CODES = frozenset({20015})
# The integration user: unknown openUserId or employee.
UNKNOWN_USER_CODES = frozenset({20012, 30027})
# The app exists but may not use the CRM (no rights, disabled, not authorised).
APP_RIGHTS_CODES = frozenset({20014, 20020, 20021, 20022, 20023, 15003})


def check_connection(config, steps):
    """Run the check's steps in turn: ``token`` (a fresh token proves the credentials),
    ``user`` (the integration user) and ``crm`` (the object list, as that user)."""
    results = {}
    for step, run in steps:
        try:
            results[step] = run()
        except ConnectorError as error:
            return ConnectionCheck(False, _failure_message(step, error, config), _details(step, error))
    message = gettext(
        "Connected to Fxiaoke as %(user)s: %(count)d CRM objects are visible to the integration user."
    ) % {"user": results["user"], "count": len(results["crm"])}
    return ConnectionCheck(True, message, {"open_user_id": results["user"], "objects": len(results["crm"])})


def _failure_message(step, error, config):
    if isinstance(error, QuotaExhaustedError):
        return gettext("Fxiaoke's daily Open API quota is used up; the check can run again after midnight.")
    if isinstance(error, RateLimitedError):
        return gettext("Fxiaoke is limiting calls right now. Wait a minute and test again.")
    if isinstance(error, TransientError):
        return gettext(
            "Cannot reach the Fxiaoke server at %(url)s. Check the server address and the network, "
            "then test again."
        ) % {"url": config.base_url}
    if step == "token" and error.code in SECRET_CODES:
        return gettext(
            "Fxiaoke rejected the appSecret (or the appId). Copy both again from the app's page in "
            "the Fxiaoke developer console and save."
        )
    if step == "token" and error.code in PERMANENT_CODE_CODES:
        return gettext(
            "Fxiaoke does not know this permanentCode. Ask your Fxiaoke administrator to authorise "
            "the app for the company again and enter the new permanent code."
        )
    if step == "user" or error.code in UNKNOWN_USER_CODES:
        return gettext(
            "Fxiaoke does not know the integration user (openUserId or mobile number). Enter the "
            "openUserId or the mobile number of an active CRM administrator. Fxiaoke said: %(crm)s"
        ) % {"crm": error.message}
    if error.code in APP_RIGHTS_CODES:
        return gettext(
            "The Fxiaoke app is not allowed to use the CRM for this company. Ask your Fxiaoke "
            "administrator to enable the app and grant it CRM rights. Fxiaoke said: %(crm)s"
        ) % {"crm": error.message}
    return gettext("Fxiaoke refused the connection test: %(crm)s") % {"crm": error.message}


def _details(step, error):
    return {"step": step, "code": error.code, "trace_id": error.trace_id, "error": type(error).__name__}
