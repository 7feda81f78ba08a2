"""The hub's django-q2 tasks: ids only, each calls one service.

Arguments are pickled into the queue's tables and shown in its admin, so they are never
model instances or secrets. Every task is safe to run twice: runs, batches and write-backs
are claimed by compare-and-set, so a redelivered task finds its work done or taken.

The queue names each task by its dotted path (``syncjobs.tasks.<name>``), in queued tasks
and in the ``Schedule`` table alike: renaming one needs a data migration of the schedules.
"""

from syncjobs.admin import exports
from syncjobs.models import SyncFlow, Trigger
from syncjobs.operations import alerts, drift, retention
from syncjobs.operations.notify import digest
from syncjobs.operations.reconciliation import reports
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


def check_alerts():
    """Mail the integration admins about what went wrong (scheduled every few minutes)."""
    return alerts.send_alerts()


def send_alert_digest():
    """Send the rules' daily digest of the last 24 hours (scheduled every morning)."""
    return digest.send_digest()


def check_field_drift():
    """Compare the mapped fields with the systems' metadata; pause drifted flows (scheduled daily)."""
    return [found.flow_id for found in drift.check_all()]


def prune_records():
    """Delete settled record logs past the retention period (scheduled daily)."""
    pruned = retention.prune()
    return {"records": pruned.records, "webhook_events": pruned.webhook_events}


def run_reconciliation(report_id):
    """Run one requested reconciliation report."""
    return reports.run_report(report_id).status


def scheduled_reconciliation():
    """Reconcile the last days for every connector pair and mail the results (scheduled daily)."""
    return [report.pk for report in reports.run_scheduled()]
