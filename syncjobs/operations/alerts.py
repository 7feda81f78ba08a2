"""Alerts: mailed to the integration admins and sent to the channels of matching rules, at
most once per cause per hour, with a recovery message when the cause clears.

Causes: a flow whose last N runs all failed, a flow with records needing attention (failed or
given up on), a flow behind its source past its lag threshold for ten minutes
(``lag_alerts``), a connector whose circuit breaker is open, a connector whose daily quota is
used up or nearly so, the latest reconciliation of a connector pair finding differences, and
queued tasks that stopped moving (the oldest has waited too long). Each is one function
registered with ``@cause(kind, label)`` that takes the ``Check`` and returns ``Alert``s: a new
cause plugs in by writing that one function.

Whether a cause is open is kept once, in its ``AlertState`` (``notify.outbox``): closing it
announces the recovery to the rules' channels and, when they were mailed the alert, to the
admins, in the same transaction.

The check runs on a schedule; the right to send a cause is claimed with a compare-and-set on
its ``AlertNotice`` row, so two checks never send it twice. Messages to channels are queued
as ``ChannelDelivery`` rows and sent (and retried) at the end of the check, never by a run.
"""

import logging
from datetime import timedelta
from smtplib import SMTPException

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, F
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from connectors import quota
from connectors.guard import connector_breaker
from connectors.state import get_state
from syncjobs.models import (
    AlertNotice,
    ReconciliationReport,
    RecordStatus,
    ReportStatus,
    RunStatus,
    Severity,
    SyncFlow,
    SyncRecord,
    SyncRun,
)
from syncjobs.operations import drift, lag_alerts, mail  # noqa: F401 - drift registers the metadata-drift cause
from syncjobs.operations.notify import messages, outbox, routing
from syncjobs.operations.notify.causes import CAUSES, Alert, Check, Link, cause
from syncjobs.operations.queue import oldest_queued_age
from syncjobs.queries.failures import open_counts, open_records

logger = logging.getLogger(__name__)
QUIET_PERIOD = timedelta(hours=1)
FINISHED = (RunStatus.SUCCEEDED, RunStatus.PARTIAL, RunStatus.FAILED)


FIRST_RECORDS = 5
QUOTA_LOW_SHARE = 0.9  # warn when this share of a connector's daily call quota is used


def current_alerts(now=None, state=None):
    """Everything that deserves a message right now, cause by cause."""
    check = Check(now or timezone.now(), state if state is not None else get_state())
    return [alert for registered in CAUSES.values() for alert in registered.find(check)]


def failing_flows(in_a_row):
    """Flows whose last ``in_a_row`` finished runs all failed."""
    alerts = []
    for flow in SyncFlow.objects.order_by("name"):
        last = list(
            SyncRun.objects.filter(flow=flow, status__in=FINISHED)
            .order_by("-id")
            .only("status", "message", "message_params")[:in_a_row]
        )
        if len(last) == in_a_row and all(run.status == RunStatus.FAILED for run in last):
            alerts.append(
                Alert(
                    f"flow-failing:{flow.slug}",
                    _("Flow “%(flow)s” failed %(count)d runs in a row") % {"flow": flow, "count": in_a_row},
                    _(
                        "The last %(count)d runs of “%(flow)s” failed. The latest said: %(message)s\n\n"
                        "Open the flow's runs in the console, fix the cause (connector, mapping or data), "
                        "then run it again."
                    )
                    % {"count": in_a_row, "flow": flow, "message": last[0].message_text or "–"},
                    **_flow_details(flow, [(_("Failed runs in a row"), in_a_row)]),
                )
            )
    return alerts


def _flow_details(flow, facts):
    """The flow's part of a message: its open records (counted, the first five) and its pages."""
    attention = sum(open_counts(flow).values())
    columns = ("id", "source_id", "source_number", "error_message", "error_params")
    first = list(open_records(flow).only(*columns)[:FIRST_RECORDS])
    links = [Link(_("Records needing attention"), "console:flow_failures", (flow.pk,))]
    if first:
        links.append(Link(_("Timeline of the latest record"), "console:record_timeline", (first[0].pk,)))
    links.append(Link(_("Dashboard"), "admin:index"))
    return {
        "flow_ids": (flow.pk,),
        "flow_name": str(flow),
        "facts": (*facts, (_("Records needing attention"), attention)),
        "records": tuple((record.source_number or record.source_id, record.error_text) for record in first),
        "links": tuple(links),
    }


def _connector_flows(connector):
    flows = SyncFlow.objects.filter(source_connector=connector) | SyncFlow.objects.filter(
        target_connector=connector
    )
    return tuple(flows.order_by("pk").values_list("pk", flat=True))


DASHBOARD = (Link(gettext_lazy("Dashboard"), "admin:index"),)


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
                    flow_ids=_connector_flows(connector),
                    links=DASHBOARD,
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
                    severity=Severity.WARNING,
                    flow_ids=_connector_flows(connector),
                    links=DASHBOARD,
                )
            )
    return alerts


def quotas_running_low(connectors, state, share=QUOTA_LOW_SHARE):
    """Connectors that used ``share`` or more of their daily call quota today (not yet used up)."""
    alerts = []
    for connector in connectors:
        allowed = connector.daily_call_quota
        if not allowed or quota.exhausted_until(connector.connector_key, state) is not None:
            continue
        used = sum(state.call_counts(connector.connector_key, state.today()).values())
        if used >= allowed * share:
            values = {"connector": connector, "used": used, "allowed": allowed}
            alerts.append(
                Alert(
                    f"quota-low:{connector.connector_key}",
                    _("“%(connector)s” used %(used)d of its %(allowed)d API calls today") % values,
                    _(
                        "“%(connector)s” has used %(used)d of the %(allowed)d calls its daily quota allows. "
                        "When it is used up runs pause until midnight: spread the schedules or buy more calls."
                    )
                    % values,
                    severity=Severity.WARNING,
                    flow_ids=_connector_flows(connector),
                    facts=((_("API calls today"), used), (_("Daily quota"), allowed)),
                    links=DASHBOARD,
                )
            )
    return alerts


def reconciliation_differences():
    """The latest finished report of each connector pair, when it found differences."""
    alerts, seen = [], set()
    done = ReconciliationReport.objects.filter(status=ReportStatus.DONE).select_related(
        "crm_connector", "erp_connector"
    )
    for report in done.order_by("-id")[:50]:
        pair = (report.crm_connector_id, report.erp_connector_id)
        if pair in seen:
            continue
        seen.add(pair)
        count = report.differences.count()
        if count:
            alerts.append(_reconciliation_alert(report, count))
    return alerts


def _reconciliation_alert(report, count):
    values = {"count": count, "crm": report.crm_connector, "erp": report.erp_connector, "report": report}
    return Alert(
        f"reconciliation-differences:{report.crm_connector.slug}:{report.erp_connector.slug}",
        _("%(count)d differences between “%(crm)s” and “%(erp)s”") % values,
        _("%(report)s found %(count)d documents missing on one side or with different amounts.") % values,
        severity=Severity.WARNING,
        facts=((_("Differences"), count),),
        links=(Link(_("Reconciliation report"), "admin:syncjobs_reconciliationreport_change", (report.pk,)),),
    )


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
            facts=((_("Minutes the oldest task has waited"), minutes),),
            links=DASHBOARD,
        )
    ]


def records_needing_attention():
    """Flows with records that failed or were given up on (waiting records are not counted)."""
    counts = dict(
        SyncRecord.objects.filter(status__in=(RecordStatus.FAILED, RecordStatus.DEAD))
        .values("flow_id")
        .annotate(n=Count("id"))
        .values_list("flow_id", "n")
    )
    alerts = []
    for flow in SyncFlow.objects.filter(pk__in=counts).order_by("name"):
        count = counts[flow.pk]
        alerts.append(
            Alert(
                f"records-attention:{flow.slug}",
                _("%(count)d records of “%(flow)s” need attention") % {"count": count, "flow": flow},
                _(
                    "%(count)d records of “%(flow)s” failed or were given up on. Open them in the "
                    "console, fix the data or the mapping, then re-run them or mark them resolved."
                )
                % {"count": count, "flow": flow},
                severity=Severity.WARNING,
                **_flow_details(flow, []),
            )
        )
    return alerts


# The causes, in the order their alerts are sent. A new cause is one more function like these.
cause("flow-failing", gettext_lazy("Failed runs in a row"))(
    lambda check: failing_flows(settings.INTEGRATION_HUB_ALERT_FAILED_RUNS)
)
cause("records-attention", gettext_lazy("Records needing attention"))(
    lambda check: records_needing_attention()
)
cause("lag", gettext_lazy("Lag over threshold"))(lambda check: lag_alerts.lagging_flows(check.now))
cause("breaker-open", gettext_lazy("Circuit breaker open"))(
    lambda check: open_breakers(check.connectors, check.state)
)
cause("quota-exhausted", gettext_lazy("Daily quota used up"))(
    lambda check: exhausted_quotas(check.connectors, check.state)
)
cause("quota-low", gettext_lazy("Quota near its end"))(
    lambda check: quotas_running_low(check.connectors, check.state)
)
cause("reconciliation-differences", gettext_lazy("Reconciliation differences"))(
    lambda check: reconciliation_differences()
)
cause("queue-stalled", gettext_lazy("Queue stalled"))(lambda check: stalled_queue(check.now))


def claim(alert, now):
    """True for the one caller that may send ``alert`` now (none was sent this past hour).

    The notice's ``message`` is blank until the admins' mail has gone (``note_mailed``): a send
    that reached only the rules' channels is no mail, and gets no recovery mail.
    """
    values = {"subject": alert.subject[:255], "message": "", "last_sent_at": now}
    due = AlertNotice.objects.filter(cause=alert.cause, last_sent_at__lte=now - QUIET_PERIOD)
    if due.update(sent_count=F("sent_count") + 1, **values):
        return True
    try:
        with transaction.atomic():
            AlertNotice.objects.create(cause=alert.cause, first_sent_at=now, sent_count=1, **values)
    except IntegrityError:
        return False  # sent within the hour, or another check just claimed it
    return True


def note_mailed(cause, body):
    AlertNotice.objects.filter(cause=cause).update(message=body)


def was_mailed(state):
    """Whether the admins were mailed the alert of ``state`` (an ``AlertState``) while it was open."""
    notices = AlertNotice.objects.filter(cause=state.cause, last_sent_at__gte=state.opened_at)
    return notices.exclude(message="").exists()


def _mail(cause, subject, body, to, channels_too):
    """Mail the admins; True when sent. Without channels a failure is raised (the cause stays as
    it was for the next check); with channels it is logged, so a broken mail server never holds
    their messages."""
    try:
        mail.send(subject, body, to)
    except (SMTPException, OSError):
        if not channels_too:
            raise
        logger.warning("The alert mail about %s could not be sent; its channels still get it", cause)
        return False
    return True


def _mail_alert(alert, to, channels_too):
    body = "\n".join([alert.body, *messages.link_lines(alert.links)])
    if _mail(alert.cause, alert.subject, body, to, channels_too):
        note_mailed(alert.cause, body)


def _recovery_mailer(to):
    """Mails the admins the recovery of a cause they were mailed (the same text a mail channel gets)."""

    def mail_recovery(state, message, targets):
        if to and was_mailed(state):
            _mail(state.cause, message.title, message.text, to, channels_too=bool(targets))

    return mail_recovery


def send_alerts(now=None, state=None):
    """Send each current alert not sent in the past hour; announce the causes that cleared.

    Each alert is mailed to the integration admins (as always) and queued for the channels of
    the rules it matches; a cleared cause's recovery goes to the rules that announce recoveries
    and, once, to the admins when they were mailed its alert. Then every due message is sent.
    Returns the causes sent.
    """
    now = now or timezone.now()
    sent = []
    with mail.in_product_language():
        to = mail.admin_recipients()
        current = current_alerts(now, state)
        for alert in current:
            targets = routing.targets(alert)
            if not to and not targets:
                continue
            with transaction.atomic():  # a mail that cannot be sent leaves the cause unclaimed
                if claim(alert, now):
                    outbox.open_cause(alert, targets, now)
                    if to:
                        _mail_alert(alert, to, channels_too=bool(targets))
                    sent.append(alert.cause)
        outbox.announce_recoveries({alert.cause for alert in current}, now, _recovery_mailer(to))
    outbox.deliver_due(now)
    return sent
