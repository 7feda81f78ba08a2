"""The text of alert, recovery and test messages: markdown that every robot renders, an event
for the generic webhook, and links to the console built from the public base URL.

The markdown keeps to what 企业微信, 钉钉 and 飞书 cards all render: bold, links and plain lines
(lists and tables differ between them). Nothing here reads a channel: no secret can end up in
a message.
"""

from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from syncjobs.models import Severity
from syncjobs.operations.notify.causes import Link, label_of

REASON_CHARS = 160
DIGEST_TITLES = 10
TONES = {Severity.CRITICAL: "critical", Severity.WARNING: "warning", Severity.INFO: "info"}


@dataclass(frozen=True)
class Message:
    title: str
    text: str  # markdown
    event: dict
    tone: str


def absolute(link):
    """The link's full address, or ``None`` when no public base URL is configured."""
    base = settings.INTEGRATION_HUB_PUBLIC_BASE_URL.rstrip("/")
    return f"{base}{reverse(link.url_name, args=link.args)}" if base else None


def alert_message(alert):
    """The message announcing ``alert``."""
    severity = Severity(alert.severity)
    title = f"[{severity.label}] {alert.subject}"
    lines = _summary(alert, severity) + _records(alert) + link_lines(alert.links)
    return Message(title, "\n".join(lines), _event("alert", alert, title), TONES[severity])


def recovery_message(state, flows=()):
    """The message saying the cause of ``state`` (an ``AlertState``) cleared, naming ``flows``
    (the cause's flows that still exist) and linking to the pages its alert linked to."""
    title = _("[Recovered] %(title)s") % {"title": state.title}
    lines = [_("**%(cause)s** has cleared; no action is needed.") % {"cause": label_of(state.kind)}]
    names = ", ".join(str(flow) for flow in flows)
    if names:
        lines.append(_("**Flow**: %(flow)s") % {"flow": names})
    links = _recovery_links(flows)
    lines += link_lines(links)
    text = "\n".join(lines)
    event = {
        "event": "recovery",
        "cause": state.cause,
        "kind": state.kind,
        "title": title,
        "text": text,
        "flow": names,
        "links": _absolute_links(links),
    }
    return Message(title, text, event, "recovered")


def _recovery_links(flows):
    # A cause of one flow linked to its records needing attention; every alert to the dashboard.
    dashboard = Link(_("Dashboard"), "admin:index")
    if len(flows) != 1:
        return (dashboard,)
    return (Link(_("Records needing attention"), "console:flow_failures", (flows[0].pk,)), dashboard)


def test_message(channel):
    title = _("Integration Hub test message")
    text = _("This channel (“%(channel)s”) is set up: alerts will arrive here.") % {"channel": channel}
    return Message(title, text, {"event": "test", "title": title, "text": text}, "info")


def digest_message(summary):
    """The daily digest: what opened, what is still open, what cleared, what could not be sent."""
    title = _("Integration Hub daily digest, %(day)s") % {"day": summary.day.isoformat()}
    lines = [
        _("**Alerts raised, 24 hours**: %(count)d") % {"count": len(summary.opened)},
        _("**Still open**: %(count)d") % {"count": len(summary.still_open)},
        _("**Cleared, 24 hours**: %(count)d") % {"count": summary.cleared},
        _("**Messages not sent, 24 hours**: %(count)d") % {"count": summary.failed_sends},
    ]
    if summary.still_open:
        lines += ["", _("**Open now**:"), *summary.still_open[:DIGEST_TITLES]]
    dashboard = absolute(summary.dashboard)
    if dashboard:
        lines += ["", f"[{_('Dashboard')}]({dashboard})"]
    text = "\n".join(lines)
    return Message(title, text, {"event": "digest", "title": title, "text": text}, "info")


def _summary(alert, severity):
    lines = []
    if alert.flow_name:
        lines.append(_("**Flow**: %(flow)s") % {"flow": alert.flow_name})
    lines.append(_("**Cause**: %(cause)s") % {"cause": label_of(alert.kind)})
    lines.append(_("**Severity**: %(severity)s") % {"severity": severity.label})
    lines.extend(f"**{label}**: {value}" for label, value in alert.facts)
    return [*lines, "", alert.body.split("\n\n")[0]]


def _records(alert):
    if not alert.records:
        return []
    lines = ["", _("**First records needing attention**:")]
    for number, reason in alert.records:
        reason = " ".join(str(reason or "–").split())
        lines.append(f"{number}: {reason[:REASON_CHARS]}")
    return lines


def link_lines(links):
    """The lines linking to ``links``' pages (none without a public base URL)."""
    shown = [f"[{label}]({url})" for label, url in _absolute_links(links).items()]
    return ["", " | ".join(shown)] if shown else []


def _absolute_links(links):
    """``{label: address}`` of ``links``; empty without a public base URL."""
    return {str(link.label): url for link in links if (url := absolute(link))}


def _event(name, alert, title):
    return {
        "event": name,
        "cause": alert.cause,
        "kind": alert.kind,
        "severity": Severity(alert.severity).name.lower(),
        "title": title,
        "flow": alert.flow_name,
        "facts": {str(label): value for label, value in alert.facts},
        "records": [{"record": str(number), "reason": str(reason)} for number, reason in alert.records],
        "links": _absolute_links(alert.links),
    }
