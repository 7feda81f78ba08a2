"""Who is calling: logins, sessions (cookie or header), and the SDK's signed headers.

Sessions slide: each call made within ``session_minutes`` (a fault switch, 20 by default)
of the previous one keeps the session alive, on the simulated clock. ``expire_sessions``
(``SystemSwitches.sessions_valid_after``) ends every session issued before it.

The login reply (spec §9, a captured reply of a real server): ``KDSVCSessionId`` is the
session key (a GUID, also the ``kdservice-sessionid`` cookie); ``Context.SessionId`` is a
different value, the 24-character ASP.NET session id (the ``ASP.NET_SessionId`` cookie),
and the top-level ``Lcid`` is 0 even when the login asked for a language. A client that
presents ``Context.SessionId`` as its session key is answered "session lost".

Signed-header calls carry no login: ``X-Kd-Signature`` is verified strictly (it is what the
ERP itself checks); ``X-Api-*`` are for Kingdee's API gateway, which an on-premise server
does not run — they are checked only with the ``strict_api_signature`` switch, and then
with a clock skew of up to ``api_skew_seconds``. A signed call is given a session cookie;
one presenting a session that has expired is answered "session lost" together with a
fresh cookie, so a client that drops its cookies (or the SDK, which takes new ones) goes on.
"""

import base64
import binascii
import hmac
import secrets
import time
from dataclasses import dataclass, field
from datetime import timedelta

from sandbox.k3cloud import signing, wording
from sandbox.k3cloud.models import Record, Session, Tenant

SESSION_COOKIE = "kdservice-sessionid"
ASPNET_COOKIE = "ASP.NET_SessionId"
# ASP.NET's own session ids: 24 characters of this alphabet (lower-case letters and 0-5).
ASPNET_ALPHABET = "abcdefghijklmnopqrstuvwxyz012345"
ASPNET_ID_LENGTH = 24


@dataclass
class Identity:
    """The outcome of authenticating a call."""

    tenant: Tenant | None = None
    session: Session | None = None
    lcid: int = 2052
    org_id: int = 0
    cookies: dict = field(default_factory=dict)
    lost: bool = False
    detail: str = ""


# --- sessions ---------------------------------------------------------------------------------


def open_session(tenant, via, now, lcid=2052, org_id=0):
    """A new session for ``tenant``, with its two cookie values."""
    return Session.objects.create(
        tenant=tenant,
        key=_guid(),
        aspnet_key=aspnet_session_id(),
        via=via,
        lcid=lcid,
        org_id=org_id or tenant.org_id,
        issued_at=now,
        last_seen_at=now,
    )


def session_cookies(session):
    return {SESSION_COOKIE: session.key, ASPNET_COOKIE: session.aspnet_key}


def aspnet_session_id():
    """A new ASP.NET session id: 24 characters, never a GUID."""
    return "".join(secrets.choice(ASPNET_ALPHABET) for _ in range(ASPNET_ID_LENGTH))


def _guid():
    text = secrets.token_hex(16)
    return f"{text[:8]}-{text[8:12]}-{text[12:16]}-{text[16:20]}-{text[20:]}"


def presented_session(request):
    """The Session a request presents (header first, then cookies), live or not, or None."""
    key = request.headers.get(SESSION_COOKIE) or request.COOKIES.get(SESSION_COOKIE)
    if key:
        return Session.objects.select_related("tenant").filter(key=key.strip()).first()
    aspnet = request.COOKIES.get(ASPNET_COOKIE)
    if aspnet:
        return Session.objects.select_related("tenant").filter(aspnet_key=aspnet.strip()).first()
    return None


def is_live(session, now, switches, minutes):
    """Within the sliding window and issued after the last forced expiry."""
    if switches.sessions_valid_after and session.issued_at < switches.sessions_valid_after:
        return False
    return session.last_seen_at + timedelta(minutes=float(minutes)) >= now


def touch(session, now):
    Session.objects.filter(pk=session.pk).update(last_seen_at=now)


# --- authenticating a call ----------------------------------------------------------------------


def authenticate(request, now, switches, faults):
    """The Identity of a business call: by signed headers, else by its session."""
    if request.headers.get("X-Kd-Appkey") or request.headers.get("X-Kd-Signature"):
        return _signed(request, now, switches, faults)
    session = presented_session(request)
    if session is None:
        return Identity(lost=True, detail="no session")
    if not is_live(session, now, switches, faults["session_minutes"]):
        return Identity(tenant=session.tenant, lcid=session.lcid, lost=True, detail="session expired")
    touch(session, now)
    return Identity(session.tenant, session, session.lcid, session.org_id)


def _signed(request, now, switches, faults):
    checked = verify_signed_headers(request, faults)
    if isinstance(checked, str):
        return Identity(lost=True, detail=checked)
    tenant, lcid, org_id = checked
    session = presented_session(request)
    if (
        session is not None
        and session.tenant_id == tenant.id
        and is_live(session, now, switches, faults["session_minutes"])
    ):
        touch(session, now)
        return Identity(tenant, session, session.lcid, session.org_id)
    fresh = open_session(tenant, "signed_headers", now, lcid, org_id)
    identity = Identity(tenant, fresh, lcid, fresh.org_id, cookies=session_cookies(fresh))
    if session is not None:
        identity.lost, identity.detail = True, "session expired"
    return identity


def verify_signed_headers(request, faults):
    """(tenant, lcid, org id) of a correctly signed request, else a short reason (str)."""
    headers = request.headers
    app_id = headers.get("X-Kd-Appkey", "")
    try:
        plain = base64.b64decode(headers.get("X-Kd-Appdata", ""), validate=True).decode("utf-8")
    except (binascii.Error, ValueError):
        return "bad X-Kd-Appdata"
    parts = plain.split(",")
    if len(parts) != 4:
        return "bad X-Kd-Appdata"
    acct_id, username, lcid, org_number = parts
    tenant = Tenant.objects.filter(acct_id=acct_id).first()
    if tenant is None or tenant.app_id != app_id or tenant.username != username:
        return "unknown app"
    expected = signing.kd_signature(app_id, plain, tenant.app_secret)
    if not hmac.compare_digest(expected, headers.get("X-Kd-Signature", "")):
        return "bad X-Kd-Signature"
    if faults.get("strict_api_signature") and not _api_signature_ok(request, tenant, faults):
        return "bad X-Api-Signature"
    return tenant, _int(lcid, 2052), _org_id(tenant, org_number)


def _api_signature_ok(request, tenant, faults):
    headers = request.headers
    stamp, nonce = headers.get("x-api-timestamp", ""), headers.get("x-api-nonce", "")
    if not stamp.isdigit() or abs(time.time() - int(stamp)) > float(faults.get("api_skew_seconds", 900)):
        return False
    expected = signing.api_signature(
        request.get_full_path(), nonce, stamp, signing.client_secret(tenant.app_id)
    )
    return hmac.compare_digest(expected, headers.get("X-Api-Signature", ""))


def _org_id(tenant, org_number):
    if org_number in ("", "0"):
        return tenant.org_id
    org = Record.objects.filter(tenant=tenant, form="ORG_Organizations", number=org_number).first()
    return org.id if org else tenant.org_id


def _int(value, default):
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


# --- login services -----------------------------------------------------------------------------


def login(arguments, via, now):
    """(payload, cookies) of ValidateUser / LoginByAppSecret / LoginBySign."""
    lcid = _int(arguments.get("lcid"), 2052) or 2052
    words = wording.for_lcid(lcid)  # a login asking for English is refused in English
    tenant = Tenant.objects.filter(acct_id=str(arguments.get("acctid") or "")).first()
    if tenant is None:
        return login_failure(-1, words.LOGIN_NO_DATACENTER), {}
    problem = _check_credentials(tenant, arguments, via, words)
    if problem:
        return problem, {}
    session = open_session(tenant, via, now, lcid)
    return login_success(tenant, session, lcid), session_cookies(session)


def _check_credentials(tenant, arguments, via, words):
    user_ok = str(arguments.get("username") or "") == tenant.username
    if via == "password":
        if not user_ok or str(arguments.get("password") or "") != tenant.password:
            return login_failure(0, words.LOGIN_WRONG_PASSWORD)
        return None
    if not user_ok:
        return login_failure(0, words.LOGIN_WRONG_PASSWORD)
    if str(arguments.get("appid") or "") != tenant.app_id:
        return login_failure(-1, words.LOGIN_BAD_APP)
    if via == "app_secret":
        ok = hmac.compare_digest(str(arguments.get("appsecret") or ""), tenant.app_secret)
        return None if ok else login_failure(-1, words.LOGIN_BAD_APP)
    expected = signing.login_sign(
        tenant.acct_id, tenant.username, tenant.app_id, tenant.app_secret, arguments.get("timestamp", "")
    )
    ok = hmac.compare_digest(expected, str(arguments.get("sign") or "").lower())
    return None if ok else login_failure(-1, words.LOGIN_BAD_SIGN)


def login_failure(result_type, text):
    return {**_login_shape(), "Message": text, "LoginResultType": result_type}


def login_success(tenant, session, lcid):
    org = Record.objects.filter(id=tenant.org_id).values_list("name", flat=True).first() or ""
    locale = "en-US" if lcid == 1033 else "zh-CN"
    context = {
        "UserLocale": locale,
        "LogLocale": locale,
        "DBid": tenant.acct_id,
        "DatabaseType": 3,
        "SessionId": session.aspnet_key,  # the ASP.NET id, not the session key (spec §9)
        "UseLanguages": [{"LocaleId": 2052, "LocaleName": "中文(简体/中国)", "Alias": "CN"}],
        "UserId": tenant.user_id,
        "UserName": tenant.username,
        "CustomName": tenant.name,
        "DisplayVersion": "8.2.0.20230706",
        "DataCenterName": tenant.name,
        "UserToken": _guid(),
        "CurrentOrganizationInfo": {
            "ID": tenant.org_id,
            "AcctOrgType": "1",
            "Name": org,
            "FunctionIds": [101, 102, 103, 104, 106, 107, 108, 109, 110, 111, 112, 113, 114],
        },
        "IsCH_ZH_AutoTrans": False,
        "ClientType": 32,
        "TRLevel": 0,
        "ProductEdition": 0,
        "DataCenterNumber": tenant.acct_id,
    }
    return {
        **_login_shape(),
        "Message": None,
        "LoginResultType": 1,
        "Context": context,
        "KDSVCSessionId": session.key,
        "Lcid": 0,  # as in the captured reply (spec §9); the session keeps the asked-for lcid
        "IsSuccessByAPI": True,
    }


def _login_shape():
    return {
        "Message": None,
        "MessageCode": "CheckPasswordPolicy",
        "LoginResultType": 0,
        "Context": None,
        "KDSVCSessionId": None,
        "FormId": None,
        "RedirectFormParam": None,
        "FormInputObject": None,
        "ErrorStackTrace": None,
        "Lcid": 0,
        "AccessToken": None,
        "CustomParam": {},
        "KdAccessResult": None,
        "IsSuccessByAPI": False,
    }


def logout(request):
    """AuthService.Logout: ends the presented session; True when there was one."""
    session = presented_session(request)
    if session is None:
        return False
    session.delete()
    return True
