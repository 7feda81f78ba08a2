"""The daily digest: one summary of the last 24 hours to the channels of rules that want it.

Sent once a day whichever worker runs the schedule: the day is claimed by creating its
``AlertNotice`` row (the cause is unique), so a second run the same day sends nothing.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from syncjobs.models import AlertNotice, AlertRule, AlertState, DeliveryKind, Severity
from syncjobs.operations import mail
from syncjobs.operations.notify import messages, outbox
from syncjobs.operations.notify.causes import Link
from syncjobs.operations.notify.routing import Target


@dataclass(frozen=True)
class Summary:
    day: object
    opened: list
    still_open: list
    cleared: int
    failed_sends: int
    dashboard: Link


def summarise(now):
    """What happened in the 24 hours before ``now``."""
    since = now - timedelta(hours=24)
    return Summary(
        day=timezone.localdate(now),
        opened=list(AlertState.objects.filter(opened_at__gte=since).values_list("title", flat=True)),
        still_open=list(
            AlertState.objects.filter(active=True).order_by("-opened_at").values_list("title", flat=True)
        ),
        cleared=AlertState.objects.filter(active=False, cleared_at__gte=since).count(),
        failed_sends=outbox.failed_since(since).count(),
        dashboard=Link("", "admin:index"),
    )


def send_digest(now=None):
    """Queue today's digest for every digest rule's channels and send it; how many were queued."""
    now = now or timezone.now()
    targets = [
        Target(rule, channel)
        for rule in AlertRule.objects.filter(enabled=True, daily_digest=True).prefetch_related("channels")
        for channel in rule.channels.all()
        if channel.enabled
    ]
    if not targets:
        return 0
    cause = f"digest:{timezone.localdate(now).isoformat()}"
    with mail.in_product_language(), transaction.atomic():
        message = messages.digest_message(summarise(now))
        try:
            with transaction.atomic():
                AlertNotice.objects.create(
                    cause=cause,
                    subject=message.title[:255],
                    first_sent_at=now,
                    last_sent_at=now,
                    sent_count=1,
                )
        except IntegrityError:
            return 0  # today's digest went out already
        outbox.queue(targets, message, DeliveryKind.DIGEST, cause, Severity.INFO, now)
    outbox.deliver_due(now)
    return len({target.channel.pk for target in targets})
