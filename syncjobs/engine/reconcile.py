"""The reconciler: our own tables are the truth, so lost or stalled work is found and restarted.

The Redis broker loses a task whose worker dies (at-most-once), and any worker can be
killed; every minute the reconciler resumes runs whose heartbeat went stale, runs whose
pause is over and queued runs nobody picked up, releases records whose parent has landed
meanwhile, and starts the write-back drain when write-backs are due.
"""

from dataclasses import dataclass, field
from datetime import timedelta

from django.db.models import Exists, OuterRef

from syncjobs.engine import dependencies, runs, writeback
from syncjobs.engine.options import FlowOptions, OptionsError
from syncjobs.models import CrossReference, ParentWait, RunStatus, SyncFlow, SyncRun, Trigger

_DEFAULT_STALE = 120.0


@dataclass
class ReconcileReport:
    resumed: list = field(default_factory=list)  # run ids handed to the dispatcher
    released: dict = field(default_factory=dict)  # child flow id -> source ids
    write_backs_due: int = 0


def reconcile(dispatcher, now):
    """Find stalled work and hand it to ``dispatcher``; a ``ReconcileReport``."""
    report = ReconcileReport()
    for run in SyncRun.objects.filter(status__in=runs.UNFINISHED).select_related("flow").order_by("id"):
        if _needs_a_worker(run, now):
            dispatcher.run(run.pk)
            report.resumed.append(run.pk)
    report.released = release_landed(dispatcher)
    writeback.reclaim_stale(now - timedelta(seconds=_DEFAULT_STALE))
    report.write_backs_due = writeback.due_count(now)
    if report.write_backs_due:
        dispatcher.drain_write_backs()
    return report


def _needs_a_worker(run, now):
    stale = _stale_seconds(run.flow)
    if run.status == RunStatus.PAUSED:
        return run.resume_after is None or run.resume_after <= now
    if run.status == RunStatus.QUEUED:
        return run.queued_at <= now - timedelta(seconds=stale)
    return runs.is_stale(run, now, stale)


def _stale_seconds(flow):
    try:
        return FlowOptions.of(flow).lease_seconds
    except OptionsError:
        return _DEFAULT_STALE


def release_landed(dispatcher):
    """Queue waiting records whose parent has a cross-reference now (it landed another way)."""
    released = {}
    for parent in SyncFlow.objects.filter(Exists(ParentWait.objects.filter(parent_flow=OuterRef("pk")))):
        children = dependencies.take_waits(_landed_waits(parent))
        for flow_id, ids in children.items():
            child = runs.create_run(SyncFlow.objects.get(pk=flow_id), Trigger.DEPENDENCY, ids=ids)
            dispatcher.run(child.pk)
            released.setdefault(flow_id, []).extend(ids)
    return released


def _landed_waits(parent):
    xrefs = CrossReference.objects.filter(
        source_connector_id=parent.source_connector_id,
        source_object=parent.source_object,
        target_connector_id=parent.target_connector_id,
        target_object=parent.target_object,
    ).exclude(target_id="")
    landed = ParentWait.objects.none()
    for by in ("source_id", "source_number", "target_id", "target_number"):
        matching = xrefs.filter(**{by: OuterRef("parent_value")})
        landed = landed | ParentWait.objects.filter(parent_flow=parent, parent_by=by).filter(Exists(matching))
    return landed
