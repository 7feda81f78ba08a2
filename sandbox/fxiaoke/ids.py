"""Identifiers shaped like the platform's: record ids, openUserIds, appIds, traceIds, tokens."""

import itertools
import os
import secrets
import threading

# A MongoDB ObjectId: 4 bytes of Unix seconds, 5 random bytes fixed per process, a 3-byte counter.
_PROCESS_RANDOM = os.urandom(5).hex()
_counter = itertools.count(int.from_bytes(os.urandom(3), "big"))
_counter_lock = threading.Lock()


def object_id(unix_seconds):
    """A 24-hex record ``_id`` whose first 8 hex digits are ``unix_seconds``."""
    with _counter_lock:
        count = next(_counter) % 0x1000000
    return f"{int(unix_seconds) & 0xFFFFFFFF:08x}{_PROCESS_RANDOM}{count:06x}"


def open_user_id():
    """``FSUID_`` + 32 upper-case hex digits."""
    return "FSUID_" + secrets.token_hex(16).upper()


def corp_id():
    """An opaque corpId; the real format is undocumented, so this shape is the sandbox's choice."""
    return "FSCID_" + secrets.token_hex(16).upper()


def app_id():
    """``FSAID_`` + 7 lower-case hex digits, like ``FSAID_1317cf4``."""
    return "FSAID_" + secrets.token_hex(4)[:7]


def app_secret():
    return secrets.token_hex(16)


def permanent_code():
    return secrets.token_hex(16).upper()


def access_token():
    return secrets.token_hex(16).upper()


def trace_id(tenant_id="0", user_id="0"):
    """``E-O.<tenant>.<user>-<16 hex>``, the shape of the platform's traceIds.

    A call refused before its tenant is known reads ``E-O.null.-1000-…``, as the live
    platform answered calls without or with a forged token (fxp/skillify,
    skills/fxiaoke/data/probe-log.md P3–P6; single-source). The hex tail is the sandbox's.
    """
    return f"E-O.{tenant_id}.{user_id}-{secrets.token_hex(8)}"


def unknown_caller_trace_id():
    """The traceId of an answer to a caller the platform could not identify."""
    return trace_id("null", "-1000")


def gateway_trace_id():
    """``open-api-gateway-web/…``: the token endpoint's error traceIds come from the gateway.

    Seen once live (fxp/skillify, skills/fxiaoke/data/probe-log.md P2; single-source); the
    capture elides the part after the slash, so 32 hex digits stand in for it.
    """
    return f"open-api-gateway-web/{secrets.token_hex(16)}"
