"""django-q2 tasks: ids only, each calls one service (``syncjobs.services.sync``).

Arguments are pickled into the queue's tables and shown in its admin, so they are never
model instances or secrets. Every task is safe to run twice: runs, batches and write-backs
are claimed by compare-and-set, so a redelivered task finds its work done or taken.
"""

from syncjobs.admin import exports
from syncjobs.models import SyncFlow, Trigger
from syncjobs.services import sync


def execute_run(run_id):
    """Lead or help run ``run_id`` until no batch is left for this worker."""
    return sync.execute_run(run_id).status


def help_run(run_id):
    """Process free batches of a large run beside its leader."""
    return sync.help_run(run_id).status


def run_flow_on_schedule(flow_id):
    """The flow's schedule fired: start (or wake) its incremental run."""
    flow = SyncFlow.objects.filter(pk=flow_id, enabled=True).first()
    if flow is None:
        return None
    return sync.start_run(flow, Trigger.SCHEDULE).pk


def run_flows_in_order(flow_ids, user_id=None):
    """Run the flows one after another, parents before children (ids in that order)."""
    return [run.pk for run in sync.run_flows_in_order(flow_ids, user_id=user_id)]


def drain_write_backs():
    """Send due write-backs under each connector's rate limit."""
    result = sync.drain_write_backs()
    return {"done": result.done, "failed": result.failed, "stopped": result.stopped}


def reconcile():
    """Resume stalled runs, release landed children, start due write-backs (every minute)."""
    report = sync.reconcile_runs()
    return {"resumed": report.resumed, "write_backs_due": report.write_backs_due}


def build_export(export_id):
    """Write a queued audit export's file (see ``syncjobs.admin.exports``)."""
    return exports.build_export(export_id)
