"""What the admin index shows: each flow's health, records per day, API calls against quotas,
how long the oldest queued task has waited, and the alert messages that could not be sent.

A flow's health weighs its lag (``syncjobs.queries.lag``: the age of the oldest source change
not yet written) against its threshold: a flow further behind than that is not healthy.

Every figure comes from a fixed number of queries: a handful for all flows together, plus a
few per connector (breaker and call counters live in the shared state), never one per flow
or per run.
"""

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from django.db.models import Count, F, OuterRef, Subquery, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext

from connectors import quota
from connectors.guard import connector_breaker
from connectors.state import get_state
from syncjobs.adapters.values import business_zone
from syncjobs.models import Connector, RecordStatus, RunStatus, SyncFlow, SyncRecord, SyncRun
from syncjobs.operations import charts, control
from syncjobs.operations.notify import outbox
from syncjobs.operations.queue import oldest_queued_age
from syncjobs.queries import lag as lag_figures

CHART_DAYS = 30
CALL_DAYS = 7
FINISHED = (RunStatus.SUCCEEDED, RunStatus.PARTIAL, RunStatus.FAILED)


@dataclass
class FlowHealth:
    flow: SyncFlow
    last_status: str | None
    last_success_at: object
    figures: lag_figures.FlowLag
    failures_24h: int
    paused: bool
    breakers: list  # [(connector, state name)]
    # The last run failed only through records that were since re-run, resolved or ignored.
    last_failures_settled: bool = False

    @property
    def lag(self):
        """The age of the oldest source change not yet written (None: never ran)."""
        return self.figures.lag

    @property
    def waiting(self):
        """Records waiting for a parent record."""
        return self.figures.records_waiting

    @property
    def behind(self):
        """Further behind the source than the flow's lag threshold."""
        return self.figures.behind

    @property
    def last_status_label(self):
        return RunStatus(self.last_status).label if self.last_status else ""

    @property
    def breaker_state(self):
        """The worst breaker state among the flow's connectors."""
        states = [state for _connector, state in self.breakers]
        return next((s for s in ("open", "half_open") if s in states), "closed")

    @property
    def level(self):
        """``bad`` (last run failed and not settled since, failures today, breaker open), ``warn``
        (behind its lag threshold, waiting records, paused, never ran) or ``ok``."""
        last_failed = self.last_status == RunStatus.FAILED and not self.last_failures_settled
        if last_failed or self.failures_24h or self.breaker_state == "open":
            return "bad"
        if self.behind or self.waiting or self.paused or self.breaker_state == "half_open":
            return "warn"
        if self.last_status is None:
            return "warn"
        return "ok"


@dataclass
class ConnectorCalls:
    connector: Connector
    days: list  # [(date, calls)] oldest first
    quota: int | None
    quota_exhausted_until: object
    breaker: str

    @property
    def today(self):
        return self.days[-1][1] if self.days else 0

    def meter(self):
        return charts.meter(self.today, self.quota)


@dataclass
class Dashboard:
    flows: list = field(default_factory=list)
    chart: str = ""
    chart_totals: dict = field(default_factory=dict)
    connectors: list = field(default_factory=list)
    queue_age_seconds: float = 0.0
    failed_sends: int = 0  # alert messages that finally failed in the last 24 hours
    generated_at: object = None


def build(now=None, state=None):
    """The whole dashboard (see the module docstring for its query budget)."""
    now = now or timezone.now()
    state = state if state is not None else get_state()
    connectors = list(Connector.objects.order_by("name"))
    breakers = {c.pk: connector_breaker(c.connector_key, state).state_name() for c in connectors}
    days, totals = daily_records(now)
    return Dashboard(
        flows=flow_health(now, {c.pk: c for c in connectors}, breakers),
        chart=charts.daily_bars(days, title=_chart_title()),
        chart_totals=totals,
        connectors=[_calls(c, state, now, breakers[c.pk]) for c in connectors],
        queue_age_seconds=oldest_queued_age(now),
        failed_sends=outbox.failed_since(now - timedelta(hours=24)).count(),
        generated_at=now,
    )


def _chart_title():
    return gettext("Records synced and failed per day, last 30 days")


def open_failures_since(since):
    """``{flow id: records failed since ``since`` and still failed}``, one query.

    Counts records, not attempts: three failed re-runs of one record are one failure, and a
    record re-run into success, resolved or ignored no longer counts (its attempts are
    superseded or marked), so the figure agrees with the records list.
    """
    return dict(
        SyncRecord.objects.filter(created_at__gte=since, status__in=(RecordStatus.FAILED, RecordStatus.DEAD))
        .values("flow_id")
        .annotate(n=Count("source_id", distinct=True))
        .values_list("flow_id", "n")
    )


def flow_health(now, connectors, breakers):
    """One ``FlowHealth`` per flow: seven queries for all of them."""
    finished = SyncRun.objects.filter(flow=OuterRef("pk"), status__in=FINISHED).order_by("-id")
    flows = list(
        lag_figures.with_read_up_to(SyncFlow.objects.order_by("name")).annotate(
            last_status=Subquery(finished.values("status")[:1]),
            last_run_id=Subquery(finished.values("pk")[:1]),
            last_failed_count=Subquery(finished.values("failed_count")[:1]),
            last_success_at=Subquery(finished.filter(status=RunStatus.SUCCEEDED).values("finished_at")[:1]),
        )
    )
    lags = lag_figures.figures(now, flows)
    failures = open_failures_since(now - timedelta(hours=24))
    paused = set(control.held_runs().values_list("flow_id", flat=True))
    settled = settled_failed_runs(flows)
    return [_health(flow, lags[flow.pk], failures, paused, connectors, breakers, settled) for flow in flows]


def settled_failed_runs(flows):
    """Ids of the flows' failed last runs whose failed records were all re-run, resolved or ignored.

    A run that failed as a whole (a read that failed, no record failed) is never settled this way.
    """
    failed = [f.last_run_id for f in flows if f.last_status == RunStatus.FAILED and f.last_failed_count]
    if not failed:
        return set()
    still_open = SyncRecord.objects.filter(
        run_id__in=failed, status__in=(RecordStatus.FAILED, RecordStatus.DEAD)
    )
    return set(failed) - set(still_open.values_list("run_id", flat=True).distinct())


def _health(flow, figures, failures, paused, connectors, breakers, settled=frozenset()):
    ids = dict.fromkeys([flow.source_connector_id, flow.target_connector_id])
    return FlowHealth(
        flow=flow,
        last_status=flow.last_status,
        last_success_at=flow.last_success_at,
        figures=figures,
        failures_24h=failures.get(flow.pk, 0),
        paused=flow.pk in paused,
        breakers=[(connectors[pk], breakers[pk]) for pk in ids if pk in connectors],
        last_failures_settled=flow.last_run_id in settled,
    )


def daily_records(now):
    """``([charts.Day] for the last 30 days, totals)``: records written and failed, from the runs."""
    zone = business_zone()
    today = timezone.localtime(now, zone).date()
    first = today - timedelta(days=CHART_DAYS - 1)
    start = datetime.combine(first, time.min, tzinfo=zone)
    rows = (
        SyncRun.objects.filter(queued_at__gte=start)
        .annotate(day=TruncDate("queued_at", tzinfo=zone))
        .values("day")
        .annotate(synced=Sum(F("created_count") + F("updated_count")), failed=Sum("failed_count"))
    )
    by_day = {row["day"]: row for row in rows}
    days = []
    for offset in range(CHART_DAYS):
        day = first + timedelta(days=offset)
        row = by_day.get(day, {})
        days.append(charts.Day(day.strftime("%m-%d"), row.get("synced") or 0, row.get("failed") or 0))
    totals = {"synced": sum(d.synced for d in days), "failed": sum(d.failed for d in days)}
    return days, totals


def _calls(connector, state, now, breaker):
    today = state.today()
    days = []
    for offset in range(CALL_DAYS - 1, -1, -1):
        day = today - timedelta(days=offset)
        days.append((day, sum(state.call_counts(connector.connector_key, day).values())))
    return ConnectorCalls(
        connector=connector,
        days=days,
        quota=connector.daily_call_quota,
        quota_exhausted_until=quota.exhausted_until(connector.connector_key, state),
        breaker=breaker,
    )
