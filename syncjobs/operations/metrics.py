"""The figures ``/metrics`` gives operations teams, in Prometheus's text format.

Every scrape computes them from the database and the shared connector state; nothing is
counted inside a process. Several web and worker processes run at once, and in-process
counters would each tell their own story and start from zero at every restart. So:

- the record counters are sums over the flow's runs, which only grow, whichever process
  serves the scrape;
- the API call and refusal counters are the shared per-day counters the clients keep (the
  same ones the dashboard shows): they start again at local midnight, which Prometheus's
  ``rate()`` and ``increase()`` treat as a counter reset;
- lag, runs, waits, breakers and write-backs are gauges read at the scrape.

A scrape costs a fixed number of queries for all flows together, plus three per connector
(breaker, calls, refusals), never one per flow or per run.
"""

from django.db.models import Count, F, Sum
from django.utils import timezone
from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily

from connectors import refusals
from connectors.guard import connector_breaker
from connectors.state import get_state
from syncjobs.models import Connector, SyncFlow, SyncRun, WriteBack, WriteBackStatus
from syncjobs.queries import lag

PREFIX = "integration_hub"
BREAKER_STATES = ("closed", "half_open", "open")
RUN_STATES = ("queued", "running", "paused")


def exposition(now=None, state=None):
    """The text a Prometheus server scrapes (bytes, ``prometheus_client.CONTENT_TYPE_LATEST``)."""
    registry = CollectorRegistry(auto_describe=False)
    registry.register(HubCollector(now, state))
    return generate_latest(registry)


class HubCollector:
    """A ``prometheus_client`` collector reading the hub's figures at each ``collect``."""

    def __init__(self, now=None, state=None):
        self.now = now
        self.state = state

    def collect(self):
        now = self.now or timezone.now()
        state = self.state if self.state is not None else get_state()
        yield from flow_families(now)
        yield from connector_families(state)


def _gauge(name, documentation, labels):
    return GaugeMetricFamily(f"{PREFIX}_{name}", documentation, labels=labels)


def _counter(name, documentation, labels):
    return CounterMetricFamily(f"{PREFIX}_{name}", documentation, labels=labels)


def flow_families(now):
    """Per flow: lag, its threshold, queue wait, runs, waiting records, records, write-backs."""
    flows = list(lag.with_read_up_to(SyncFlow.objects.order_by("slug")))
    figures = lag.figures(now, flows)
    totals = _record_totals()
    write_backs = _write_backs_pending()
    families = {
        "lag": _gauge("flow_lag_seconds", "Age of the oldest source change not yet written.", ["flow"]),
        "threshold": _gauge("flow_lag_threshold_seconds", "Lag over which the flow is behind.", ["flow"]),
        "wait": _gauge("flow_queue_wait_seconds", "How long the oldest queued run has waited.", ["flow"]),
        "runs": _gauge("flow_runs", "Unfinished runs by status.", ["flow", "status"]),
        "parents": _gauge("flow_records_waiting_for_parent", "Records waiting for a parent.", ["flow"]),
        "synced": _counter("records_synced", "Records created or updated in the target.", ["flow"]),
        "failed": _counter("records_failed", "Records that failed or were given up on.", ["flow"]),
        "write_backs": _gauge("write_backs_pending", "Write-backs to the source not done yet.", ["flow"]),
    }
    for flow in flows:
        _add_flow(families, flow, figures[flow.pk], totals.get(flow.pk, {}), write_backs.get(flow.pk, 0))
    return families.values()


def _add_flow(families, flow, figures, totals, write_backs):
    slug = [flow.slug]
    if figures.lag is not None:
        families["lag"].add_metric(slug, figures.lag.total_seconds())
    if figures.threshold is not None:
        families["threshold"].add_metric(slug, figures.threshold.total_seconds())
    families["wait"].add_metric(slug, figures.queue_wait.total_seconds())
    runs = {"queued": figures.runs_queued, "running": figures.runs_running, "paused": figures.runs_paused}
    for status in RUN_STATES:
        families["runs"].add_metric([flow.slug, status], runs[status])
    families["parents"].add_metric(slug, figures.records_waiting)
    families["synced"].add_metric(slug, totals.get("synced") or 0)
    families["failed"].add_metric(slug, totals.get("failed") or 0)
    families["write_backs"].add_metric(slug, write_backs)


def _record_totals():
    """``{flow id: {"synced": n, "failed": n}}`` over all runs: one query."""
    rows = SyncRun.objects.values("flow_id").annotate(
        synced=Sum(F("created_count") + F("updated_count")), failed=Sum("failed_count")
    )
    return {row["flow_id"]: row for row in rows.order_by()}


def _write_backs_pending():
    unfinished = WriteBack.objects.filter(status__in=(WriteBackStatus.PENDING, WriteBackStatus.RUNNING))
    return dict(unfinished.values("flow_id").annotate(n=Count("id")).order_by().values_list("flow_id", "n"))


def connector_families(state):
    """Per connector: today's API calls and refusals per interface, and its breaker state."""
    labels = ["connector", "system", "interface"]
    calls = _counter("api_calls", "API calls today (local time), per interface.", labels)
    refused = _counter(
        "api_refusals", "Calls the system refused today (too many, quota), per interface.", labels
    )
    breaker = _gauge(
        "connector_breaker_state", "1 for the circuit breaker's current state.", ["connector", "state"]
    )
    today = state.today()
    for connector in Connector.objects.order_by("slug"):
        key, names = connector.connector_key, [connector.slug, connector.system]
        for interface, count in sorted(state.call_counts(key, today).items()):
            calls.add_metric([*names, interface], count)
        for interface, count in sorted(refusals.counts(state, key, today).items()):
            refused.add_metric([*names, interface], count)
        current = connector_breaker(key, state).state_name()
        for name in BREAKER_STATES:
            breaker.add_metric([connector.slug, name], 1 if name == current else 0)
    return calls, refused, breaker
