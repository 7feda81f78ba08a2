"""The cryptography of K3Cloud's logins and of the official SDK's signed headers.

Pure functions, shared by the simulator (to verify) and by its tests (to sign); they follow
the official Python SDK (PyPI ``kingdee-cdp-webapi-sdk``) byte for byte.

The SDK's app id is ``<clientId>_<32-char encoded secret>``: the second half is base64 of
the API-gateway client secret XOR-ed with a fixed key (kept ROT13-ed in the SDK's source).
"""

import base64
import binascii
import codecs
import hashlib
import hmac
from urllib.parse import quote

SDK_XOR_KEY = codecs.decode("0054s397p6234378o09pn7q3r5qropr7", "rot13").encode("ascii")


def _xor(data):
    return bytes(b ^ k for b, k in zip(data, SDK_XOR_KEY, strict=False))


def encode_app_id(client_id, client_secret):
    """The app id carrying ``client_secret`` (base64 text of 24 bytes) the SDK's way."""
    raw = base64.b64decode(client_secret)
    return f"{client_id}_{base64.b64encode(_xor(raw)).decode('ascii')}"


def client_secret(app_id):
    """The API-gateway secret hidden in an app id ("" when the app id is not of that form)."""
    parts = app_id.split("_")
    if len(parts) != 2 or len(parts[1]) != 32:
        return ""
    try:
        raw = base64.b64decode(parts[1], validate=True)
    except (binascii.Error, ValueError):
        return ""
    return base64.b64encode(_xor(raw)).decode("ascii")


def sdk_hash(message, key):
    """base64 of the lowercase hex HMAC-SHA256 of ``message`` keyed by ``key`` (UTF-8)."""
    digest = hmac.new(key.encode("utf-8"), message.encode("utf-8"), hashlib.sha256).hexdigest()
    return base64.b64encode(digest.encode("ascii")).decode("ascii")


def signed_path(path):
    """The path as the SDK signs it: URL-quoted, with ``/`` as ``%2F``."""
    return quote(path, encoding="utf-8").replace("/", "%2F")


def app_data(acct_id, username, lcid, org_number):
    """The plain text of ``X-Kd-Appdata``."""
    return f"{acct_id},{username},{lcid},{org_number}"


def kd_signature(app_id, plain_app_data, app_secret):
    """``X-Kd-Signature``: what the ERP itself checks."""
    return sdk_hash(app_id + plain_app_data, app_secret)


def api_signature(path, nonce, timestamp, secret):
    """``X-Api-Signature``: what Kingdee's API gateway checks (over the signed path)."""
    message = f"POST\n{signed_path(path)}\n\nx-api-nonce:{nonce}\nx-api-timestamp:{timestamp}\n"
    return sdk_hash(message, secret)


def login_sign(acct_id, username, app_id, app_secret, timestamp):
    """LoginBySign's ``sign``: SHA-256 hex of the ordinal-sorted concatenation."""
    parts = sorted([str(acct_id), str(username), str(app_id), str(app_secret), str(timestamp)])
    return hashlib.sha256("".join(parts).encode("utf-8")).hexdigest()


def signed_headers(acct_id, username, app_id, app_secret, path, timestamp, lcid=2052, org_number=0):
    """Every header the official SDK sends (for tests and tools that talk to the simulator)."""
    stamp = str(int(timestamp))
    plain = app_data(acct_id, username, lcid, org_number)
    return {
        "X-Api-ClientID": app_id.split("_")[0] if "_" in app_id else "",
        "X-Api-Auth-Version": "2.0",
        "x-api-timestamp": stamp,
        "x-api-nonce": stamp,
        "x-api-signheaders": "x-api-timestamp,x-api-nonce",
        "X-Api-Signature": api_signature(path, stamp, stamp, client_secret(app_id)),
        "X-Kd-Appkey": app_id,
        "X-Kd-Appdata": base64.b64encode(plain.encode("utf-8")).decode("ascii"),
        "X-Kd-Signature": kd_signature(app_id, plain, app_secret),
    }
