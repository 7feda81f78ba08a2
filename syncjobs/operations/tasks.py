"""The console's django-q2 tasks: ids only, each calls one service."""

from syncjobs.operations import alerts, drift, retention
from syncjobs.operations.notify import digest
from syncjobs.operations.reconciliation import reports


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
