"""How far each flow's target is behind its source: the lag figures of the dashboard, the lag
alert and ``/metrics``.

**Lag** is the age of the oldest source change not yet written to the target. The hub cannot
see a change it has not read, so the figure is built from what it does know and errs on the
long side. It is ``now`` minus the earliest of:

- **read up to**: when the flow's latest complete incremental read started (a run that read
  the source to the end: succeeded or partly failed, not a run of chosen record IDs). Every
  change made before that moment was read; a change made just after it may be waiting
  unread, so the hub vouches for nothing later. Without such a run the flow's watermark
  (the source time of the latest change read) stands in; a flow that never finished a read
  counts from when its first run was queued.
- **records waiting for a parent**: the source change time of the oldest record waiting.
- **runs of chosen records** (webhooks, re-runs) not finished yet: when the oldest was
  queued, since its changes were made before it was asked for.

Records that failed or were given up on are left out: they wait for a person, not for the
hub, and are counted as needing attention elsewhere. Records inside the batches of an
incremental run in progress are covered by "read up to": they changed after the previous
read started (within the flow's overlap).

A flow normally lags between zero and one schedule interval plus the run's duration. Its
**threshold** is the flow option ``lag_threshold_minutes`` or, by default, three schedule
intervals; a flow without a schedule (run by hand) or disabled has none and is never judged.

Every figure for all flows comes from four queries, never one per flow.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Count, Min, OuterRef, Q, Subquery

from syncjobs.engine.options import FlowOptions, OptionsError
from syncjobs.engine.reader import FINISHED_READS
from syncjobs.models import ParentWait, RecordStatus, RunStatus, SyncFlow, SyncRecord, SyncRun
from syncjobs.schedules import next_run

DEFAULT_INTERVALS = 3  # the default threshold, in schedule intervals
UNFINISHED = (RunStatus.QUEUED, RunStatus.RUNNING, RunStatus.PAUSED)


@dataclass(frozen=True)
class FlowLag:
    """The lag figures of one flow at ``now`` (see the module docstring for their meaning)."""

    lag: timedelta | None  # None: nothing to measure from (the flow never ran)
    read_up_to: object  # aware datetime or None
    queue_wait: timedelta  # how long the oldest run not started yet has waited (0: none)
    runs_queued: int
    runs_running: int
    runs_paused: int
    records_waiting: int  # records waiting for a parent record
    threshold: timedelta | None  # None: the flow is not judged

    @property
    def runs_waiting(self):
        """Runs not moving now: queued for a worker or paused (quota, a pause by hand)."""
        return self.runs_queued + self.runs_paused

    @property
    def behind(self):
        """Whether the lag is over the threshold."""
        return self.threshold is not None and self.lag is not None and self.lag > self.threshold


def with_read_up_to(flows):
    """``flows`` (a ``SyncFlow`` queryset) annotated with what ``figures`` needs of each flow."""
    runs = SyncRun.objects.filter(flow=OuterRef("pk"))
    complete = runs.filter(status__in=FINISHED_READS, started_at__isnull=False).exclude(
        options__has_key="ids"
    )
    return flows.annotate(
        last_read_started=Subquery(complete.order_by("-id").values("started_at")[:1]),
        first_queued=Subquery(runs.order_by("id").values("queued_at")[:1]),
    )


def figures(now, flows=None):
    """``{flow id: FlowLag}`` for ``flows`` (annotated by ``with_read_up_to``; default all)."""
    flows = list(flows if flows is not None else with_read_up_to(SyncFlow.objects.order_by("name")))
    runs = _unfinished_runs()
    waiting_changes = dict(
        SyncRecord.objects.filter(status=RecordStatus.WAITING)
        .values("flow_id")
        .annotate(oldest=Min("source_modified_at"))
        .values_list("flow_id", "oldest")
    )
    waits = dict(ParentWait.objects.values("flow_id").annotate(n=Count("id")).values_list("flow_id", "n"))
    return {
        flow.pk: _figures(
            flow, now, runs.get(flow.pk, {}), waiting_changes.get(flow.pk), waits.get(flow.pk, 0)
        )
        for flow in flows
    }


def _unfinished_runs():
    """``{flow id: {counts per status, oldest queued, oldest chosen-records run}}``: one query."""
    rows = (
        SyncRun.objects.filter(status__in=UNFINISHED)
        .values("flow_id")
        .annotate(
            queued=Count("id", filter=Q(status=RunStatus.QUEUED)),
            running=Count("id", filter=Q(status=RunStatus.RUNNING)),
            paused=Count("id", filter=Q(status=RunStatus.PAUSED)),
            oldest_queued=Min("queued_at", filter=Q(status=RunStatus.QUEUED)),
            oldest_ids=Min("queued_at", filter=Q(options__has_key="ids")),
        )
    )
    return {row["flow_id"]: row for row in rows}


def _figures(flow, now, runs, oldest_waiting_change, records_waiting):
    read_up_to = flow.last_read_started or flow.watermark
    starts = [read_up_to or flow.first_queued, oldest_waiting_change, runs.get("oldest_ids")]
    starts = [start for start in starts if start is not None]
    oldest_queued = runs.get("oldest_queued")
    return FlowLag(
        lag=max(now - min(starts), timedelta(0)) if starts else None,
        read_up_to=read_up_to,
        queue_wait=max(now - oldest_queued, timedelta(0)) if oldest_queued else timedelta(0),
        runs_queued=runs.get("queued", 0),
        runs_running=runs.get("running", 0),
        runs_paused=runs.get("paused", 0),
        records_waiting=records_waiting,
        threshold=threshold(flow, now),
    )


def threshold(flow, now):
    """How far behind ``flow`` may fall: its ``lag_threshold_minutes`` option or three
    schedule intervals; None for a disabled flow or one without a schedule."""
    if not flow.enabled:
        return None
    try:
        minutes = FlowOptions.of(flow).lag_threshold_minutes
    except OptionsError:
        minutes = 0  # a bad option elsewhere stops the flow's runs, not its lag figure
    if minutes:
        return timedelta(minutes=minutes)
    interval = schedule_interval(flow, now)
    return interval * DEFAULT_INTERVALS if interval else None


def schedule_interval(flow, now):
    """The gap between the flow's next two scheduled starts (cron gaps may vary), or None."""
    if not (flow.schedule_minutes or flow.schedule_cron):
        return None
    first = next_run(flow, now)
    return next_run(flow, first) - first
