"""The sync service API: what the admin, the ``sync`` command, the tasks and the consoles call.

Runs are started here and executed by ``syncjobs.engine``; nothing else creates runs.
Queue-backed calls enqueue after the surrounding transaction commits and pass ids only.
"""

from graphlib import CycleError, TopologicalSorter

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from syncjobs.engine import dryrun, reconcile, runs, writeback
from syncjobs.engine.dispatch import InlineDispatcher, QueueDispatcher, ThreadedDispatcher, enqueue
from syncjobs.engine.options import FlowOptions, OptionsError
from syncjobs.engine.runner import Runner
from syncjobs.models import RecordStatus, SyncFlow, SyncRecord, SyncRun, Trigger

RERUNNABLE = (RecordStatus.FAILED, RecordStatus.DEAD, RecordStatus.WAITING)


def start_run(flow, trigger=Trigger.MANUAL, full=False, ids=None, user=None, dispatcher=None):
    """Queue a run of ``flow`` (incremental, ``full``, or exactly ``ids``); return it.

    A flow has at most one queued run and one running: a request arriving while a run
    waits to start joins it (its ids merged in, by compare-and-set); one arriving while a
    run is running queues the one follow-up run, which later requests join. A request
    without ids may also join the unfinished run of its kind (waking it if nobody is
    working on it), as before.
    """
    dispatcher = dispatcher or QueueDispatcher()
    run, created = runs.join_or_queue(flow, trigger, full=full, ids=ids, user=user)
    if run is None:
        run = runs.unfinished_run(flow, full)
        if run is None:  # finished in between: ask again
            return start_run(flow, trigger, full, ids, user, dispatcher)
    if created or (ids is None and _idle(run)):
        dispatcher.run(run.pk)
    return run


def _idle(run):
    if run.status != runs.RunStatus.RUNNING:
        return True
    try:
        stale = FlowOptions.of(run.flow).lease_seconds
    except OptionsError:
        stale = FlowOptions.lease_seconds
    return runs.is_stale(run, timezone.now(), stale)


def execute_run(run_id, dispatcher=None, **options):
    """Do this worker's share of run ``run_id`` (the queue task's body); return the run."""
    return Runner(run_id, dispatcher=dispatcher or QueueDispatcher(), **options).execute()


def run_now(
    flow, full=False, ids=None, user=None, trigger=Trigger.MANUAL, progress=None, threads=1, **context
):
    """Run ``flow`` in this process until done, then what it set off; return the main run.

    An unfinished run of the flow (e.g. one whose process was killed) is resumed instead
    of starting a new one. Follow-up runs (records released by a landed parent) run
    here too, then the write-backs are sent. ``threads`` > 1: the run's batches are shared
    with ``threads − 1`` helper threads, as queue workers would share them; they need a
    database several connections can write at once (not a test's open transaction).
    """
    dispatcher = ThreadedDispatcher(threads, Runner, **context) if threads > 1 else InlineDispatcher()
    run = start_run(flow, trigger, full=full, ids=ids, user=user, dispatcher=dispatcher)
    dispatcher.take_runs()
    worker = runs.new_worker_name()
    try:
        run = Runner(
            run.pk, worker=worker, dispatcher=dispatcher, wait=True, progress=progress, **context
        ).execute()
        _run_follow_ups(dispatcher, worker, context)
    finally:
        dispatcher.join()
    run.refresh_from_db()
    return run


def _run_follow_ups(dispatcher, worker, context):
    for _round in range(100):
        dispatcher.join()
        pending = dispatcher.take_runs()
        if not pending:
            break
        for run_id in pending:
            Runner(run_id, worker=worker, dispatcher=dispatcher, wait=True, **context).execute()


def help_run(run_id, **options):
    """Process free batches of a running run (enqueued when a large run starts)."""
    return Runner(run_id, dispatcher=QueueDispatcher(), **options).execute()


def dry_run(flow, limit=None, full=False, ids=None, rows=None, **context):
    """What the next run of ``flow`` would do, per record and field, writing nothing.

    ``rows``: unsaved mapping rows to evaluate instead of the flow's saved mapping.
    """
    return dryrun.dry_run(flow, limit=limit, full=full, ids=ids, rows=rows, **context)


def rerun_records(record_ids, user=None, dispatcher=None):
    """Queue a run per flow for the selected failed, dead or waiting records; return the runs.

    Records that succeeded (or were superseded since) are left out. The runs have the
    trigger "retry": an administrator who re-runs a record whose create got no answer has
    checked the target, so the record is created again if no match key finds it.
    """
    dispatcher = dispatcher or QueueDispatcher()
    wanted = {}
    records = SyncRecord.objects.filter(pk__in=list(record_ids), status__in=RERUNNABLE)
    for flow_id, source_id in records.values_list("flow_id", "source_id"):
        wanted.setdefault(flow_id, []).append(source_id)
    flows = SyncFlow.objects.in_bulk(list(wanted))
    return [
        start_run(flows[flow_id], Trigger.RETRY, ids=sorted(set(ids)), user=user, dispatcher=dispatcher)
        for flow_id, ids in sorted(wanted.items())
    ]


def dependency_order(flows):
    """``flows`` ordered so every flow comes after the flows it depends on."""
    flows = list(flows)
    by_id = {flow.pk: flow for flow in flows}
    graph = {
        flow.pk: [p for p in flow.depends_on.values_list("pk", flat=True) if p in by_id] for flow in flows
    }
    try:
        order = list(TopologicalSorter(graph).static_order())
    except CycleError as exc:
        names = ", ".join(str(by_id[pk]) for pk in exc.args[1][:-1])
        raise ValidationError(
            _("These flows depend on each other in a circle: %(flows)s.") % {"flows": names}
        ) from exc
    return [by_id[pk] for pk in order]


def run_all_in_dependency_order(flows=None, user=None, inline=False, progress=None, **context):
    """Run every enabled flow (or ``flows``), parents before children; return the runs.

    Inline, each flow runs to the end before the next starts. Otherwise one queued task
    runs them in that order, so a child never starts before its parents are done.
    """
    flows = dependency_order(flows if flows is not None else SyncFlow.objects.filter(enabled=True))
    if not inline:
        enqueue("syncjobs.tasks.run_flows_in_order", [flow.pk for flow in flows], user.pk if user else None)
        return []
    return [run_now(flow, user=user, progress=progress, **context) for flow in flows]


def run_flows_in_order(flow_ids, user_id=None):
    """The queued form of ``run_all_in_dependency_order``: each flow to the end, in order."""
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.filter(pk=user_id).first() if user_id else None
    flows = SyncFlow.objects.in_bulk(flow_ids)
    finished = []
    for flow_id in flow_ids:
        if flow_id in flows:
            run = start_run(flows[flow_id], Trigger.MANUAL, user=user, dispatcher=InlineDispatcher())
            finished.append(Runner(run.pk, dispatcher=QueueDispatcher(), wait=True).execute())
    return finished


def drain_write_backs(limit=500, budget_seconds=50.0, **options):
    """Send due write-backs under each connector's rate limit; a ``DrainResult``."""
    return writeback.drain(runs.new_worker_name(), limit=limit, budget_seconds=budget_seconds, **options)


def reconcile_runs(dispatcher=None, now=None):
    """Resume stalled runs, release landed children, start due write-backs; a report."""
    return reconcile.reconcile(dispatcher or QueueDispatcher(), now or timezone.now())


def latest_runs(flow, limit=10):
    """The flow's most recent runs, newest first."""
    return list(SyncRun.objects.filter(flow=flow).order_by("-id")[:limit])
