"""Queued messages to channels: created by the alert check, claimed by compare-and-set, sent
with a per-channel rate limit, retried with capped exponential backoff, never by a sync run.

A send that fails transiently (network, 5xx, "too frequent") waits 1, 2, 4, 8 then 16 minutes;
after ``MAX_ATTEMPTS`` it is marked failed. A permanent refusal (wrong key or signature,
keyword missing) is failed at once: retrying cannot help until someone fixes the channel.
Every failure is logged (without the channel's URL or secret) and counted on the dashboard.
"""

import logging
import time
from datetime import timedelta
from smtplib import SMTPException

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext

from connectors.errors import ConnectorError, RateLimitedError, TransientError
from connectors.retrying import capped_exponential
from syncjobs.crypto import CredentialDecryptionError
from syncjobs.models import AlertState, ChannelDelivery, DeliveryKind, DeliveryStatus, Severity, SyncFlow
from syncjobs.operations.notify import channels, messages, routing

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 6
BASE_DELAY = timedelta(minutes=1)
MAX_DELAY = timedelta(hours=1)
LEASE = timedelta(minutes=5)  # a claimed send whose worker died is tried again after this
PER_CHECK = 200  # sends per check at most
# Seconds of sending per check: with robots timing out after 10 s the check still ends well
# inside the task time limit (INTEGRATION_HUB_Q_TIMEOUT, 300 s by default); the rest wait.
SEND_BUDGET_SECONDS = 120
RETRYABLE = (TransientError, SMTPException, OSError)


class ChannelDisabled(Exception):
    """The message's channel was disabled after it was queued."""


def open_cause(alert, targets, now):
    """Record ``alert``'s cause as open and queue its message for each target's channel."""
    values = {
        "kind": alert.kind,
        "title": alert.subject[:255],
        "severity": alert.severity,
        "flow_ids": list(alert.flow_ids),
    }
    states = AlertState.objects.filter(cause=alert.cause)
    if not states.filter(active=False).update(active=True, opened_at=now, cleared_at=None, **values):
        AlertState.objects.update_or_create(
            cause=alert.cause, defaults=values, create_defaults={**values, "opened_at": now}
        )
    message = messages.alert_message(alert)
    queue(targets, message, DeliveryKind.ALERT, alert.cause, alert.severity, now)


def announce_recoveries(current_causes, now, on_recovery=None):
    """Close each open cause no longer current and queue its recovery message (once).

    ``on_recovery(state, message, targets)`` runs in the transaction that closes the cause (the
    admins' mail): when it raises, the cause stays open and the next check announces it again.
    """
    for state in AlertState.objects.filter(active=True).exclude(cause__in=current_causes):
        with transaction.atomic():
            closed = AlertState.objects.filter(pk=state.pk, active=True).update(active=False, cleared_at=now)
            if not closed:
                continue  # another check announced it
            found = routing.targets(
                None, recovery=True, kind=state.kind, severity=state.severity, flow_ids=state.flow_ids
            )
            flows = list(SyncFlow.objects.filter(pk__in=state.flow_ids).order_by("name"))
            message = messages.recovery_message(state, flows)
            queue(found, message, DeliveryKind.RECOVERY, state.cause, state.severity, now)
            if on_recovery is not None:
                on_recovery(state, message, found)


def queue(targets, message, kind, cause, severity, now):
    """One pending message per channel (two rules naming one channel send it once)."""
    at_by_channel = {}
    for target in targets:
        at = routing.send_at(target.rule, severity, now)
        channel_at = at_by_channel.get(target.channel)
        at_by_channel[target.channel] = at if channel_at is None else min(at, channel_at)
    ChannelDelivery.objects.bulk_create(
        ChannelDelivery(
            channel=channel,
            kind=kind,
            cause=cause,
            severity=severity,
            title=message.title[:255],
            body=message.text,
            event={**message.event, "tone": message.tone},
            created_at=now,
            next_attempt_at=at,
        )
        for channel, at in at_by_channel.items()
    )


def deliver_due(now=None, limit=PER_CHECK, budget_seconds=SEND_BUDGET_SECONDS, clock=time.monotonic):
    """Send the messages whose time has come, for ``budget_seconds`` at most; how many were sent."""
    now = now or timezone.now()
    due = ChannelDelivery.objects.filter(status=DeliveryStatus.PENDING, next_attempt_at__lte=now)
    ids = list(due.order_by("next_attempt_at", "id").values_list("pk", flat=True)[:limit])
    deadline, sent = clock() + budget_seconds, 0
    for pk in ids:
        if clock() >= deadline:
            break  # the next check sends the rest
        sent += deliver(pk, now)
    return sent


def deliver(pk, now):
    """Claim and send one message; True when it was sent."""
    delivery = _claim(pk, now)
    if delivery is None:
        return False
    channel = delivery.channel
    if not channel.enabled:
        _finish_failed(
            delivery,
            ChannelDisabled(gettext("The channel “%(channel)s” is disabled.") % {"channel": channel}),
            now,
        )
        return False
    if _sent_last_minute(channel, now) >= channel.per_minute:
        _postpone(delivery, now + timedelta(minutes=1))
        return False
    try:
        event = delivery.event
        channels.send(channel, delivery.title, delivery.body, event, event.get("tone", "info"))
    except (ConnectorError, SMTPException, OSError, CredentialDecryptionError) as error:
        _failed(delivery, error, now)
        return False
    except Exception as error:  # noqa: BLE001  (one broken channel must not stop the check)
        logger.exception("Notification %s to channel %r failed unexpectedly", delivery.pk, channel.name)
        _finish_failed(delivery, error, now)
        return False
    ChannelDelivery.objects.filter(pk=pk).update(
        status=DeliveryStatus.SENT, sent_at=now, next_attempt_at=now, last_error=""
    )
    return True


def send_test(channel, now=None):
    """Send a test message to ``channel`` at once; returns ``(ok, error text)``, recorded either way."""
    now = now or timezone.now()
    message = messages.test_message(channel)
    delivery = ChannelDelivery.objects.create(
        channel=channel,
        kind=DeliveryKind.TEST,
        severity=Severity.INFO,
        title=message.title,
        body=message.text,
        event={**message.event, "tone": message.tone},
        created_at=now,
        next_attempt_at=now,
        attempts=1,
    )
    try:
        channels.send(channel, message.title, message.text, message.event, message.tone)
    except (ConnectorError, SMTPException, OSError, CredentialDecryptionError) as error:
        _finish_failed(delivery, error, now)
        return False, _describe(error)
    ChannelDelivery.objects.filter(pk=delivery.pk).update(status=DeliveryStatus.SENT, sent_at=now)
    return True, ""


def failed_since(since):
    """Messages that finally failed since ``since`` (tests excluded), for the dashboard."""
    return ChannelDelivery.objects.filter(status=DeliveryStatus.FAILED, failed_at__gte=since).exclude(
        kind=DeliveryKind.TEST
    )


def _claim(pk, now):
    claimed = ChannelDelivery.objects.filter(
        pk=pk, status=DeliveryStatus.PENDING, next_attempt_at__lte=now
    ).update(next_attempt_at=now + LEASE, attempts=F("attempts") + 1)
    if not claimed:
        return None
    return ChannelDelivery.objects.select_related("channel").get(pk=pk)


def _sent_last_minute(channel, now):
    return ChannelDelivery.objects.filter(
        channel=channel, status=DeliveryStatus.SENT, sent_at__gt=now - timedelta(minutes=1)
    ).count()


def _postpone(delivery, at):
    # Waiting for the robot's rate window is not an attempt.
    ChannelDelivery.objects.filter(pk=delivery.pk).update(next_attempt_at=at, attempts=F("attempts") - 1)


def _failed(delivery, error, now):
    text = _describe(error)
    logger.warning(
        "Notification %s to channel %r failed (attempt %d of %d): %s",
        delivery.pk,
        delivery.channel.name,
        delivery.attempts,
        MAX_ATTEMPTS,
        text,
    )
    if not isinstance(error, RETRYABLE) or delivery.attempts >= MAX_ATTEMPTS:
        _finish_failed(delivery, error, now)
        return
    # No jitter: a retry is a row the next check picks up, not callers waking together.
    wait = capped_exponential(delivery.attempts, BASE_DELAY, MAX_DELAY)
    if isinstance(error, RateLimitedError) and error.retry_after:
        wait = max(wait, timedelta(seconds=error.retry_after))
    ChannelDelivery.objects.filter(pk=delivery.pk).update(next_attempt_at=now + wait, last_error=text)


def _finish_failed(delivery, error, now):
    ChannelDelivery.objects.filter(pk=delivery.pk).update(
        status=DeliveryStatus.FAILED, failed_at=now, last_error=_describe(error)
    )


def _describe(error):
    return f"{type(error).__name__}: {error}"[:1000]
