"""How the client proves who it is: login request bodies, signatures and session headers.

Everything here is pure (no I/O, the clock is passed in) so it is checked against the
spec's test vectors. Keeping and renewing the session is ``connectors.k3cloud.session``.
"""

import base64
import codecs
import hashlib
import hmac
from dataclasses import dataclass
from urllib.parse import quote

from connectors.k3cloud.results import get_key

LOGIN_SERVICES = {
    "password": "AuthService.ValidateUser",
    "app_secret": "AuthService.LoginByAppSecret",
    "sign": "AuthService.LoginBySign",
}
# The official SDK's XOR key for the encoded half of the app id, kept ROT13-ed in its source.
SDK_XOR_KEY_ROT13 = "0054s397p6234378o09pn7q3r5qropr7"
SESSION_COOKIE = "kdservice-sessionid"
# LoginResultType values that still open a session: 1 success; -5 "DealWithForm" (an
# administrator's pending form; the doc says API callers may treat it as success).
LOGIN_OK_TYPES = (1, -5)


def login_sign(acct_id, username, app_id, app_secret, timestamp):
    """LoginBySign's ``sign``: SHA-256 (lowercase hex) of the ordinal-sorted concatenation."""
    parts = sorted([str(acct_id), str(username), str(app_id), str(app_secret), str(timestamp)])
    return hashlib.sha256("".join(parts).encode("utf-8")).hexdigest()


def login_request(config, timestamp):
    """``(service, body)`` of the login call for the config's session-based auth mode."""
    body = {"acctID": config.acct_id, "username": config.username}
    if config.auth_mode == "password":
        body["password"] = config.password
    elif config.auth_mode == "app_secret":
        body.update(appId=config.app_id, appSecret=config.app_secret)
    elif config.auth_mode == "sign":
        stamp = str(int(timestamp))
        sign = login_sign(config.acct_id, config.username, config.app_id, config.app_secret, stamp)
        body.update(appId=config.app_id, timestamp=stamp, sign=sign)
    else:
        raise ValueError(f"auth mode {config.auth_mode!r} has no login call")
    body["lcid"] = config.lcid
    return LOGIN_SERVICES[config.auth_mode], body


@dataclass(frozen=True)
class LoginOutcome:
    """What a login call answered. ``session_id`` is set only when a session was opened;
    ``user_id`` is the signed-in user's id (``Context.UserId``), the FModifierId the ERP
    stamps on what the connector saves, or None when the reply carries none."""

    result_type: int | None
    message: str
    session_id: str
    ok: bool
    user_id: int | None = None


def parse_login(payload, cookies=None):
    """Read a ValidateUser / LoginByAppSecret / LoginBySign reply (and its cookies).

    The session key is ``KDSVCSessionId``, else the ``kdservice-sessionid`` cookie. Never
    ``Context.SessionId``: on a real server that is the separate 24-character ASP.NET id
    (spec §9, a captured reply), which the ERP does not accept as the session key. The
    reply's top-level ``Lcid`` is not read either (the captured reply says 0).
    """
    payload = payload if isinstance(payload, dict) else {}
    result_type = _as_int(get_key(payload, "LoginResultType"))
    session_id = get_key(payload, "KDSVCSessionId") or (cookies or {}).get(SESSION_COOKIE) or ""
    ok = result_type in LOGIN_OK_TYPES and bool(session_id)
    message = str(get_key(payload, "Message") or "")
    user_id = _as_int(get_key(get_key(payload, "Context") or {}, "UserId")) if ok else None
    return LoginOutcome(result_type, message, session_id if ok else "", ok, user_id or None)


def session_headers(session):
    """Headers that present a stored session: the header alone works, cookies for proxies."""
    if not session or not session.get("sid"):
        return {}
    cookies = {SESSION_COOKIE: session["sid"], **(session.get("cookies") or {})}
    return {
        SESSION_COOKIE: session["sid"],
        "Cookie": "; ".join(f"{name}={value}" for name, value in cookies.items()),
    }


# --- The official SDK's signed headers (spec 2b) ------------------------------------------


def sdk_path(url):
    """The signed path: from the first ``/`` at index >= 10 of the URL, URL-encoded, ``/`` as %2F."""
    path = url
    if url.startswith("http"):
        index = url.find("/", 10)
        if index > -1:
            path = url[index:]
    return quote(path, encoding="utf-8").replace("/", "%2F")


def sdk_hash(message, key):
    """base64 of the lowercase hex HMAC-SHA256 of ``message`` under ``key`` (both UTF-8)."""
    digest = hmac.new(key.encode("utf-8"), message.encode("utf-8"), hashlib.sha256).hexdigest()
    return base64.b64encode(digest.encode("ascii")).decode("ascii")


def decode_client_secret(encoded, xor_key_rot13=SDK_XOR_KEY_ROT13):
    """The API-gateway secret hidden in the app id's second half (``""`` when malformed)."""
    if len(encoded) != 32:
        return ""
    try:
        raw = base64.b64decode(encoded, validate=True)
    except ValueError:
        return ""
    key = codecs.encode(xor_key_rot13, "rot13").encode("ascii")
    return base64.b64encode(bytes(b ^ k for b, k in zip(raw, key, strict=False))).decode("ascii")


def split_app_id(app_id):
    """``(client_id, encoded_secret)`` of an app id ``"<clientId>_<encoded secret>"``."""
    parts = app_id.split("_")
    return (parts[0], parts[1]) if len(parts) == 2 else ("", "")


def signed_headers(config, url, timestamp):
    """The X-Api-* and X-Kd-* headers the official SDK signs every request with."""
    stamp = str(int(timestamp))
    client_id, encoded = split_app_id(config.app_id)
    client_secret = decode_client_secret(encoded)
    api_message = f"POST\n{sdk_path(url)}\n\nx-api-nonce:{stamp}\nx-api-timestamp:{stamp}\n"
    app_data = f"{config.acct_id},{config.username},{config.lcid},{config.org_number}"
    return {
        "X-Api-ClientID": client_id,
        "X-Api-Auth-Version": "2.0",
        "x-api-timestamp": stamp,
        "x-api-nonce": stamp,
        "x-api-signheaders": "x-api-timestamp,x-api-nonce",
        "X-Api-Signature": sdk_hash(api_message, client_secret),
        "X-Kd-Appkey": config.app_id,
        "X-Kd-Appdata": base64.b64encode(app_data.encode("utf-8")).decode("ascii"),
        "X-Kd-Signature": sdk_hash(config.app_id + app_data, config.app_secret),
    }


def _as_int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
