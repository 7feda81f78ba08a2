"""Alert mails to the integration admins, at most one per cause per hour.

Causes: a flow whose last N runs all failed, a connector whose circuit breaker is open, a
connector whose daily quota is used up, and queued tasks that stopped moving (the oldest
has waited too long). The check runs on a schedule; the right to mail a cause is claimed
with a compare-and-set on its ``AlertNotice`` row, so two checks never send it twice.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from connectors import quota
from connectors.guard import connector_breaker
from connectors.state import get_state
from syncjobs.models import AlertNotice, Connector, RunStatus, SyncFlow, SyncRun
from syncjobs.operations import mail
from syncjobs.operations.queue import oldest_queued_age

QUIET_PERIOD = timedelta(hours=1)
FINISHED = (RunStatus.SUCCEEDED, RunStatus.PARTIAL, RunStatus.FAILED)


@dataclass(frozen=True)
class Alert:
    cause: str  # stable name of what is wrong and where, e.g. "flow-failing:customers"
    subject: str
    body: str


def current_alerts(now=None, state=None):
    """Everything that deserves a mail right now."""
    now = now or timezone.now()
    state = state if state is not None else get_state()
    connectors = list(Connector.objects.order_by("name"))
    return [
        *failing_flows(settings.INTEGRATION_HUB_ALERT_FAILED_RUNS),
        *open_breakers(connectors, state),
        *exhausted_quotas(connectors, state),
        *stalled_queue(now),
    ]


def failing_flows(in_a_row):
    """Flows whose last ``in_a_row`` finished runs all failed."""
    alerts = []
    for flow in SyncFlow.objects.order_by("name"):
        last = list(
            SyncRun.objects.filter(flow=flow, status__in=FINISHED)
            .order_by("-id")
            .values("status", "message")[:in_a_row]
        )
        if len(last) == in_a_row and all(run["status"] == RunStatus.FAILED for run in last):
            alerts.append(
                Alert(
                    f"flow-failing:{flow.slug}",
                    _("Flow “%(flow)s” failed %(count)d runs in a row") % {"flow": flow, "count": in_a_row},
                    _(
                        "The last %(count)d runs of “%(flow)s” failed. The latest said: %(message)s\n\n"
                        "Open the flow's runs in the console, fix the cause (connector, mapping or data), "
                        "then run it again."
                    )
                    % {"count": in_a_row, "flow": flow, "message": last[0]["message"] or "–"},
                )
            )
    return alerts


def open_breakers(connectors, state):
    alerts = []
    for connector in connectors:
        if connector_breaker(connector.connector_key, state).state_name() == "open":
            alerts.append(
                Alert(
                    f"breaker-open:{connector.connector_key}",
                    _("Calls to “%(connector)s” are paused: its circuit breaker is open")
                    % {"connector": connector},
                    _(
                        "“%(connector)s” failed repeatedly, so the hub stopped calling it for a while. "
                        "Runs wait without spending their retries and resume when a probe call succeeds. "
                        "Check that the system is up and reachable."
                    )
                    % {"connector": connector},
                )
            )
    return alerts


def exhausted_quotas(connectors, state):
    alerts = []
    for connector in connectors:
        until = quota.exhausted_until(connector.connector_key, state)
        if until is not None:
            alerts.append(
                Alert(
                    f"quota-exhausted:{connector.connector_key}",
                    _("The daily API quota of “%(connector)s” is used up") % {"connector": connector},
                    _(
                        "“%(connector)s” refuses calls until %(until)s because its daily quota is used up. "
                        "Runs are paused until then, no record is failed. Buy more calls or spread the "
                        "schedules if this happens often."
                    )
                    % {
                        "connector": connector,
                        "until": formats.date_format(timezone.localtime(until), "DATETIME_FORMAT"),
                    },
                )
            )
    return alerts


def stalled_queue(now):
    waited = oldest_queued_age(now)
    limit = settings.INTEGRATION_HUB_ALERT_QUEUE_STALL_MINUTES * 60
    if waited < limit:
        return []
    minutes = int(waited // 60)
    return [
        Alert(
            "queue-stalled",
            _("Queued tasks stopped moving: the oldest has waited %(minutes)d minutes")
            % {"minutes": minutes},
            _(
                "The oldest task in the queue has waited %(minutes)d minutes for a worker. Check that the "
                "worker processes (manage.py qcluster) are running; restart them if they hang."
            )
            % {"minutes": minutes},
        )
    ]


def claim(alert, now):
    """True for the one caller that may mail ``alert`` now (none was sent this past hour)."""
    values = {"subject": alert.subject[:255], "message": alert.body, "last_sent_at": now}
    due = AlertNotice.objects.filter(cause=alert.cause, last_sent_at__lte=now - QUIET_PERIOD)
    if due.update(sent_count=F("sent_count") + 1, **values):
        return True
    try:
        with transaction.atomic():
            AlertNotice.objects.create(cause=alert.cause, first_sent_at=now, sent_count=1, **values)
    except IntegrityError:
        return False  # sent within the hour, or another check just claimed it
    return True


def send_alerts(now=None, state=None):
    """Mail each current alert not mailed in the past hour; return the causes mailed."""
    now = now or timezone.now()
    sent = []
    with mail.in_product_language():
        to = mail.admin_recipients()
        if not to:
            return sent
        for alert in current_alerts(now, state):
            with transaction.atomic():  # a mail that cannot be sent leaves the cause unclaimed
                if claim(alert, now) and mail.send(alert.subject, alert.body, to):
                    sent.append(alert.cause)
    return sent
