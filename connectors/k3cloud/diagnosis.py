"""Plain-language explanations of why K3Cloud refused a login or a connection test."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

# What each LoginResultType means, for the person who has to fix the connector's settings.
LOGIN_RESULT_MEANINGS = {
    0: gettext_noop(
        "K3Cloud rejected the user name or the password (LoginResultType 0). Check the user “%(user)s” "
        "and its password in the connector's settings."
    ),
    -1: gettext_noop(
        "K3Cloud refused the login (LoginResultType -1). The account set “%(acct)s” may not exist on "
        "this server, or the user “%(user)s” may be disabled or not allowed to use the Web API. Check "
        "the account set ID (数据中心 ID) and the user."
    ),
    -2: gettext_noop(
        "The password of user “%(user)s” breaks K3Cloud's password policy (LoginResultType -2). "
        "Change it in K3Cloud, then update the connector."
    ),
    -3: gettext_noop(
        "The password of user “%(user)s” has expired or must be changed (LoginResultType -3). "
        "Change it in K3Cloud, then update the connector."
    ),
    -4: gettext_noop("K3Cloud answered the login with a warning (LoginResultType -4) and opened no session."),
    -6: gettext_noop(
        "The user “%(user)s” is not bound to a Kingdee Cloud passport (LoginResultType -6). Bind it "
        "in K3Cloud or use another user."
    ),
    -7: gettext_noop(
        "This K3Cloud installation must be activated before it can be used (LoginResultType -7)."
    ),
}

APP_CREDENTIAL_HINT = {
    "app_secret": gettext_noop(
        "Check the app ID and app secret of the third-party system registration (第三方系统登录授权), "
        "and that it is enabled for this account set and user."
    ),
    "sign": gettext_noop(
        "Check the app ID and app secret used to sign the login, and that this server's clock is "
        "right (the signature carries a timestamp)."
    ),
}


def login_failure_message(config, result_type, erp_message):
    """Why the login failed, in words that say what to check; ends with the ERP's own words."""
    values = {"user": config.username, "acct": config.acct_id}
    meaning = LOGIN_RESULT_MEANINGS.get(result_type)
    if meaning is not None:
        text = _(meaning) % values
    else:
        text = _("K3Cloud refused the login (LoginResultType %(type)s).") % {"type": result_type}
    hint = APP_CREDENTIAL_HINT.get(config.auth_mode)
    if hint is not None and result_type in (0, -1, None):
        text = f"{text} {_(hint)}"
    if erp_message:
        text = f"{text} " + _("K3Cloud said: %(message)s") % {"message": erp_message}
    return text


def signed_request_refused(config):
    return _(
        "K3Cloud refused the signed request of user “%(user)s” in account set “%(acct)s”. Check the "
        "app ID and app secret, and that the app is authorised for this account set and user."
    ) % {"user": config.username, "acct": config.acct_id}


def unreachable(config, reason):
    return _(
        "Cannot reach the K3Cloud server at %(url)s (%(reason)s). Check the server address, the port, "
        "and that this machine can reach it over the network."
    ) % {"url": config.server_url, "reason": reason}


def no_answer(config, timeout):
    return _(
        "The K3Cloud server at %(url)s did not answer within %(timeout)s seconds. It may be overloaded "
        "or a firewall may be holding the connection; try again or raise the timeout."
    ) % {"url": config.server_url, "timeout": timeout}


def query_refused(form_id, erp_message):
    return _("Logged in, but the test query on %(form)s failed. K3Cloud said: %(message)s") % {
        "form": form_id,
        "message": erp_message,
    }


def connected(config, form_id):
    return _(
        "Connected to K3Cloud account set “%(acct)s” as “%(user)s”; a test query on %(form)s answered."
    ) % {"acct": config.acct_id, "user": config.username, "form": form_id}
