"""Our webhook: signed events naming an object (or a flow) and record ids, each synced once.

The format is documented in ``docs/webhook.md``. A delivery is accepted when its HMAC-SHA256
signature over ``timestamp.raw_body`` matches one of the configured secrets (two while one is
being rotated), its timestamp is within five minutes of our clock, and its event id was never
seen before: a replayed delivery is answered as a duplicate and does nothing.
"""

import hashlib
import hmac
import json
from dataclasses import dataclass, field

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from syncjobs.engine import echoes
from syncjobs.models import SyncFlow, Trigger, WebhookEvent
from syncjobs.operations import control
from syncjobs.services import sync

TIMESTAMP_HEADER = "X-Hub-Timestamp"
SIGNATURE_HEADER = "X-Hub-Signature"
TOLERANCE_SECONDS = 300
MAX_IDS = 500


class WebhookRefused(Exception):
    """The delivery is refused; ``status`` is the HTTP status to answer with."""

    def __init__(self, status, message):
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass
class Accepted:
    event_id: str
    duplicate: bool = False
    runs: list = field(default_factory=list)


def sign(secret, timestamp, body):
    """The signature header value of ``body`` (bytes) sent at ``timestamp`` (Unix seconds)."""
    message = f"{timestamp}.".encode() + body
    return "sha256=" + hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def verify(body, timestamp, signature, secrets=None, now=None):
    """Check the signature against every configured secret, then the timestamp's age."""
    secrets = settings.INTEGRATION_HUB_WEBHOOK_SECRETS if secrets is None else secrets
    if not secrets:
        raise WebhookRefused(503, _("Webhooks are switched off: set INTEGRATION_HUB_WEBHOOK_SECRETS."))
    try:
        sent_at = int(timestamp)
    except (TypeError, ValueError):
        raise WebhookRefused(
            401, _("The %(header)s header is missing.") % {"header": TIMESTAMP_HEADER}
        ) from None
    given = (signature or "").strip()
    if not any(hmac.compare_digest(sign(secret, sent_at, body), given) for secret in secrets):
        raise WebhookRefused(401, _("The signature does not match; check the shared secret."))
    now = now if now is not None else timezone.now().timestamp()
    if abs(now - sent_at) > TOLERANCE_SECONDS:
        raise WebhookRefused(
            401, _("The timestamp is more than 5 minutes off our clock; send events when they happen.")
        )


def parse(body):
    """``(event id, flows, record ids)`` from the JSON body; refuses what cannot be synced."""
    try:
        event = json.loads(body)
    except ValueError:
        raise WebhookRefused(400, _("The body is not JSON.")) from None
    if not isinstance(event, dict):
        raise WebhookRefused(400, _("The body must be a JSON object."))
    event_id = event.get("event_id")
    if not isinstance(event_id, str) or not 0 < len(event_id) <= 100:
        raise WebhookRefused(400, _("“event_id” must be a text of 1 to 100 characters."))
    return event_id, _flows(event), _ids(event)


def _ids(event):
    ids = event.get("ids")
    if not isinstance(ids, list) or not ids or len(ids) > MAX_IDS:
        raise WebhookRefused(400, _("“ids” must list 1 to %(max)d record ids.") % {"max": MAX_IDS})
    if not all(isinstance(value, str | int) and not isinstance(value, bool) for value in ids):
        raise WebhookRefused(400, _("Each entry of “ids” must be a text or a number."))
    return [str(value) for value in dict.fromkeys(ids)]


def _flows(event):
    flows = SyncFlow.objects.filter(enabled=True).select_related("source_connector")
    if event.get("flow"):
        flows = flows.filter(slug=str(event["flow"]))
    elif event.get("object"):
        flows = flows.filter(source_object=str(event["object"]))
        if event.get("connector"):
            flows = flows.filter(source_connector__slug=str(event["connector"]))
    else:
        raise WebhookRefused(400, _("Name a “flow”, or an “object” (with an optional “connector”)."))
    flows = list(flows.order_by("pk"))
    if not flows:
        raise WebhookRefused(
            400, _("No enabled flow matches this event; check “flow”, “object” and “connector”.")
        )
    return flows


def accept(body, timestamp, signature, secrets=None, now=None):
    """Verify and record the delivery, then queue (or join) one run per flow for its ids.

    Ids whose change is the push of the hub's own write-back start nothing; an event
    holding only such ids is recorded with no run. A replayed event id returns ``Accepted(duplicate=True)`` and starts nothing. Runs of a
    paused flow are held until it is resumed.
    """
    verify(body, timestamp, signature, secrets, now)
    event_id, flows, ids = parse(body)
    try:
        with transaction.atomic():
            event = WebhookEvent.objects.create(
                event_id=event_id,
                object_name=flows[0].source_object,
                flow_slug=",".join(flow.slug for flow in flows)[:80],
                record_ids=ids,
            )
            started = [pk for flow in flows if (pk := _start(flow, ids)) is not None]
            WebhookEvent.objects.filter(pk=event.pk).update(runs=started)
    except IntegrityError:
        return Accepted(event_id, duplicate=True)
    return Accepted(event_id, runs=started)


def _start(flow, ids):
    """Queue (or join) the flow's run for ``ids``; None when every id is the push of our own write."""
    pushed_back = echoes.pushed_echoes(flow, ids)
    ids = [record_id for record_id in ids if record_id not in pushed_back]
    if not ids:
        return None
    run = sync.start_run(flow, Trigger.WEBHOOK, ids=ids)
    control.hold_if_paused(run)
    return run.pk
