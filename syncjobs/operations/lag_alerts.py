"""The lag alert: a flow further behind its source than its threshold for ten minutes.

A flow's lag crosses its threshold briefly now and then (a large batch, a slow answer), so the
alert waits: the check notes when it first saw the flow behind (``LagExcess``) and raises the
alert once the flow has stayed behind for ``SUSTAINED``. The first check that sees the flow
caught up forgets the note; the alert's cause is then no longer current, so the rules that
announce recoveries send one. A flow paused by hand is behind on purpose and left out.
"""

from datetime import timedelta

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from syncjobs.models import LagExcess, Severity, SyncFlow
from syncjobs.operations import control
from syncjobs.operations.notify.causes import Alert, Link
from syncjobs.queries import lag

SUSTAINED = timedelta(minutes=10)
DASHBOARD = (Link(gettext_lazy("Dashboard"), "admin:index"),)


def lagging_flows(now):
    """Alerts for the flows behind their threshold since ``SUSTAINED`` ago or longer."""
    flows = list(lag.with_read_up_to(SyncFlow.objects.order_by("name")))
    figures = lag.figures(now, flows)
    paused = control.paused_flow_ids(figures)
    behind = {pk for pk, flow_lag in figures.items() if flow_lag.behind and pk not in paused}
    since = _note_excess(behind, now)
    return [
        _alert(flow, figures[flow.pk], now - since[flow.pk])
        for flow in flows
        if flow.pk in behind and now - since[flow.pk] >= SUSTAINED
    ]


def _note_excess(behind, now):
    """``{flow id: behind since}`` for ``behind``: new ones noted at ``now``, the others forgotten."""
    LagExcess.objects.exclude(flow_id__in=behind).delete()
    since = dict(LagExcess.objects.filter(flow_id__in=behind).values_list("flow_id", "since"))
    new = [LagExcess(flow_id=pk, since=now) for pk in behind if pk not in since]
    # Two checks at once may both note a flow: the first note stands.
    LagExcess.objects.bulk_create(new, ignore_conflicts=True)
    since.update(
        LagExcess.objects.filter(flow_id__in=[n.flow_id for n in new]).values_list("flow_id", "since")
    )
    return since


def _minutes(delta):
    return int(delta.total_seconds() // 60)


def _alert(flow, figures, lasted):
    values = {
        "flow": flow,
        "lag": _minutes(figures.lag),
        "threshold": _minutes(figures.threshold),
        "lasted": _minutes(lasted),
    }
    return Alert(
        f"lag:{flow.slug}",
        _("Flow “%(flow)s” is %(lag)d minutes behind its source") % values,
        _(
            "The oldest change of “%(flow)s” not yet written to the target is %(lag)d minutes old; "
            "the flow's threshold is %(threshold)d minutes and it has been over it for %(lasted)d "
            "minutes. Check that the workers run (manage.py qcluster), that the flow's runs are not "
            "failing or paused, and whether a connector's breaker is open or its quota used up."
        )
        % values,
        severity=Severity.WARNING,
        flow_ids=(flow.pk,),
        flow_name=str(flow),
        facts=(
            (_("Minutes behind the source"), values["lag"]),
            (_("Threshold in minutes"), values["threshold"]),
            (_("Runs waiting"), figures.runs_waiting),
            (_("Records waiting for a parent"), figures.records_waiting),
        ),
        links=DASHBOARD,
    )
