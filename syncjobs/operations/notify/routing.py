"""Which channels an alert goes to, and when: rules by cause, flow and severity; quiet hours."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone

from syncjobs.models import AlertRule, Severity


@dataclass(frozen=True)
class Target:
    rule: AlertRule
    channel: object  # NotificationChannel


def matches(rule, kind, severity, flow_ids):
    """Whether ``rule`` takes an alert of cause ``kind`` at ``severity`` about ``flow_ids``."""
    if rule.causes and kind not in rule.causes:
        return False
    if severity < rule.min_severity:
        return False
    wanted = {flow.pk for flow in rule.flows.all()}
    return not wanted or not flow_ids or bool(wanted & set(flow_ids))


def targets(alert, recovery=False, *, kind=None, severity=None, flow_ids=None):
    """``Target``s of the enabled rules matching ``alert`` (or the given kind/severity/flows)."""
    kind = kind or alert.kind
    severity = severity if severity is not None else alert.severity
    flow_ids = flow_ids if flow_ids is not None else alert.flow_ids
    rules = AlertRule.objects.filter(enabled=True).prefetch_related("flows", "channels")
    found = []
    for rule in rules:
        if recovery and not rule.send_recovery:
            continue
        if matches(rule, kind, severity, flow_ids):
            found.extend(Target(rule, channel) for channel in rule.channels.all() if channel.enabled)
    return found


def send_at(rule, severity, now):
    """When a message of ``severity`` under ``rule`` may go: now, or the end of its quiet hours.

    Critical messages ignore quiet hours. Quiet hours run from ``quiet_start`` to ``quiet_end``
    local time and may span midnight (22:00–07:00).
    """
    if severity >= Severity.CRITICAL or rule.quiet_start is None or rule.quiet_end is None:
        return now
    local = timezone.localtime(now)
    start, end, at = rule.quiet_start, rule.quiet_end, local.time()
    quiet = start <= at < end if start <= end else (at >= start or at < end)
    if not quiet:
        return now
    until = datetime.combine(local.date(), end, tzinfo=local.tzinfo)
    if until <= local:
        until += timedelta(days=1)
    return until
