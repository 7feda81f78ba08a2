"""A switch that makes the simulated CRM call a webhook whenever a record changes.

Fxiaoke's own event push has no public payload format, so the sandbox speaks the hub's own
documented one (``docs/webhook.md``): it is what a small bridge in front of the real CRM
would send. Switch it on with ``manage.py sandbox faults fxiaoke --set webhook_url=...
--set webhook_secret=...`` (and ``webhook_connector=<the hub's connector slug>`` to name
it). Changes are sent after their transaction commits, from a background thread, a few
records per event; a failed delivery is logged and dropped (best effort, like a real CRM).
"""

import hashlib
import hmac
import json
import logging
import queue
import threading
import time
import uuid

import requests
from django.db import transaction
from django.db.models.signals import post_save

from sandbox.faults import current_faults
from sandbox.fxiaoke import schema
from sandbox.fxiaoke.models import Record
from sandbox.routers import SANDBOX_DB

logger = logging.getLogger(__name__)

SWITCHES = {
    "webhook_url": "",  # e.g. http://127.0.0.1:8000/hooks/sync/ ; empty: no webhook calls
    "webhook_secret": "",  # the secret the hub verifies (one of INTEGRATION_HUB_WEBHOOK_SECRETS)
    "webhook_connector": "",  # the hub connector slug named in events (empty: the object only)
}
# Changes arriving within this window go out together, one event per object and target.
GATHER_SECONDS = 0.2
MAX_IDS = 500
TIMEOUT_SECONDS = 5

_outbox = queue.Queue()
_sender = None
_sender_lock = threading.Lock()


def connect():
    """Listen to record saves (updates, voids, owner changes, edits by people and the admin)."""
    post_save.connect(_record_saved, sender=Record, dispatch_uid="sandbox_fxiaoke_webhook")


def _record_saved(sender, instance, **kwargs):
    record_changed(instance.tenant_id, instance.api_name, instance.data)


def record_changed(tenant_id, api_name, data):
    """Queue a webhook call for one changed record, once its transaction commits."""
    switches = current_faults("fxiaoke")
    if not switches.get("webhook_url"):
        return
    describe = schema.DESCRIBES.get(api_name)
    if describe is not None and describe.master_api:
        # A line changed: the hub syncs its master document, lines included.
        api_name, object_id = describe.master_api, data.get(describe.master_field)
    else:
        object_id = data.get("_id")
    if not object_id:
        return
    target = (
        switches["webhook_url"],
        switches.get("webhook_secret", ""),
        switches.get("webhook_connector", ""),
    )
    change = (*target, tenant_id, api_name, str(object_id))
    transaction.on_commit(lambda: _post(change), using=SANDBOX_DB)


def _post(change):
    _ensure_sender()
    _outbox.put(change)


def _ensure_sender():
    global _sender
    with _sender_lock:
        if _sender is None or not _sender.is_alive():
            _sender = threading.Thread(target=_send_forever, name="fxiaoke-webhook", daemon=True)
            _sender.start()


def _send_forever():
    while True:
        changes = [_outbox.get()]
        deadline = time.monotonic() + GATHER_SECONDS
        while (left := deadline - time.monotonic()) > 0:
            try:
                changes.append(_outbox.get(timeout=left))
            except queue.Empty:
                break
        for event in events(changes):
            deliver(*event)


def events(changes):
    """``[(url, secret, body)]``: one event per (target, tenant, object), at most 500 ids each."""
    grouped = {}
    for url, secret, connector, tenant_id, api_name, object_id in changes:
        grouped.setdefault((url, secret, connector, tenant_id, api_name), []).append(object_id)
    out = []
    for (url, secret, connector, _tenant, api_name), ids in grouped.items():
        ids = list(dict.fromkeys(ids))
        for start in range(0, len(ids), MAX_IDS):
            body = {"event_id": uuid.uuid4().hex, "object": api_name, "ids": ids[start : start + MAX_IDS]}
            if connector:
                body["connector"] = connector
            out.append((url, secret, json.dumps(body).encode()))
    return out


def signature(secret, timestamp, body):
    """HMAC-SHA256 over ``timestamp.body``, as the hub's webhook expects."""
    return "sha256=" + hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()


def deliver(url, secret, body):
    """POST one signed event; True when the hub accepted it (or knew it already)."""
    timestamp = int(time.time())
    headers = {
        "Content-Type": "application/json",
        "X-Hub-Timestamp": str(timestamp),
        "X-Hub-Signature": signature(secret, timestamp, body),
    }
    try:
        response = requests.post(url, data=body, headers=headers, timeout=TIMEOUT_SECONDS)
    except requests.RequestException as error:
        logger.warning("Fxiaoke sandbox webhook to %s failed: %s", url, type(error).__name__)
        return False
    if response.status_code >= 300:
        logger.warning("Fxiaoke sandbox webhook to %s answered %s", url, response.status_code)
    return response.status_code < 300
