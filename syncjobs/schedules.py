"""The hub's rows in django-q2's ``Schedule`` table: each flow's, the reconciler's and the console's.

Saving an enabled flow with an interval or a cron expression creates or updates its
schedule; disabling it, clearing its timing or deleting it removes the schedule. The
reconciler gets its own schedule (every minute). Catch-up is off (``Q_CLUSTER["catch_up"]``):
after downtime a schedule fires once, not once per missed slot, and a run that is still
going absorbs the next firing instead of queueing a second run.

The console's own checks (``SCHEDULES``: alerts, pruning, drift, reconciliation) are
installed by the migrations and kept by name, so installing them twice changes nothing.
"""

from datetime import timedelta

from croniter import croniter
from django.db import transaction
from django.db.models.signals import post_delete, post_migrate, post_save
from django.utils import timezone

from syncjobs.models import SyncFlow

RUN_FLOW = "syncjobs.tasks.run_flow_on_schedule"
RECONCILE = "syncjobs.tasks.reconcile"
RECONCILE_NAME = "Integration Hub: resume stalled runs"
SCHEDULES = (
    {
        "name": "Integration Hub: alert check",
        "func": "syncjobs.tasks.check_alerts",
        "schedule_type": "I",  # minutes
        "minutes": 5,
    },
    {
        "name": "Integration Hub: alert digest",
        "func": "syncjobs.tasks.send_alert_digest",
        "schedule_type": "C",
        "cron": "30 8 * * *",
    },
    {
        "name": "Integration Hub: prune record logs",
        "func": "syncjobs.tasks.prune_records",
        "schedule_type": "C",  # cron
        "cron": "30 3 * * *",
    },
    {
        "name": "Integration Hub: field drift check",
        "func": "syncjobs.tasks.check_field_drift",
        "schedule_type": "C",
        "cron": "15 5 * * *",  # before the working day, after the night's full loads
    },
    {
        "name": "Integration Hub: daily reconciliation",
        "func": "syncjobs.tasks.scheduled_reconciliation",
        "schedule_type": "C",
        "cron": "0 6 * * *",
    },
)


def _schedule_model():
    from django_q.models import Schedule

    return Schedule


def flow_schedule(flow_pk):
    """The ``Schedule`` of the flow with primary key ``flow_pk``, or None."""
    return _schedule_model().objects.filter(func=RUN_FLOW, args=repr(flow_pk)).order_by("pk").first()


def sync_flow_schedule(flow):
    """Make the flow's schedule match the flow; return the schedule (None when it has none)."""
    Schedule = _schedule_model()
    existing = Schedule.objects.filter(func=RUN_FLOW, args=repr(flow.pk)).order_by("pk")
    if not flow.enabled or not (flow.schedule_minutes or flow.schedule_cron):
        existing.delete()
        return None
    timing = _timing(flow)
    schedule = existing.first()
    existing.exclude(pk=getattr(schedule, "pk", None)).delete()
    if schedule is None:
        return Schedule.objects.create(
            func=RUN_FLOW, args=repr(flow.pk), name=_name(flow), repeats=-1, next_run=timezone.now(), **timing
        )
    changed = any(getattr(schedule, key) != value for key, value in timing.items())
    if changed or schedule.name != _name(flow):
        for key, value in timing.items():
            setattr(schedule, key, value)
        schedule.name = _name(flow)
        if changed:
            schedule.next_run = next_run(flow, timezone.now())
        schedule.save()
    return schedule


def _timing(flow):
    Schedule = _schedule_model()
    if flow.schedule_cron:
        return {"schedule_type": Schedule.CRON, "cron": flow.schedule_cron, "minutes": None}
    return {"schedule_type": Schedule.MINUTES, "minutes": flow.schedule_minutes, "cron": None}


def next_run(flow, now):
    """When the flow's timing next comes round after ``now``."""
    if flow.schedule_cron:
        return croniter(flow.schedule_cron, timezone.localtime(now)).get_next(type(now))
    return now + timedelta(minutes=flow.schedule_minutes)


def _name(flow):
    return f"Flow {flow.slug}"[:100]


def remove_flow_schedule(flow_pk):
    _schedule_model().objects.filter(func=RUN_FLOW, args=repr(flow_pk)).delete()


def ensure_reconciler():
    """The reconciler's schedule (every minute), created once; later edits are kept."""
    Schedule = _schedule_model()
    Schedule.objects.get_or_create(
        func=RECONCILE,
        defaults={"name": RECONCILE_NAME, "schedule_type": Schedule.MINUTES, "minutes": 1, "repeats": -1},
    )


def install(schedule_model):
    """Create the console's ``SCHEDULES`` that are missing; an administrator's later edits are kept.

    ``schedule_model`` is the migration's historical ``Schedule`` (or the real one).
    """
    for spec in SCHEDULES:
        values = {key: value for key, value in spec.items() if key != "name"}
        schedule_model.objects.get_or_create(name=spec["name"], defaults={**values, "repeats": -1})


def _flow_saved(sender, instance, raw=False, **kwargs):
    if raw:  # loading fixtures: the flow's relations may not exist yet
        return
    flow_pk = instance.pk
    transaction.on_commit(lambda: _sync_if_present(flow_pk))


def _sync_if_present(flow_pk):
    flow = SyncFlow.objects.filter(pk=flow_pk).first()
    if flow is None:
        remove_flow_schedule(flow_pk)
        return
    sync_flow_schedule(flow)
    ensure_reconciler()


def _flow_deleted(sender, instance, **kwargs):
    remove_flow_schedule(instance.pk)


def _migrated(using="default", **kwargs):
    if using == "default":
        ensure_reconciler()


def connect_signals(app_config):
    """Keep schedules in step with flows (called from the app's ``ready``)."""
    post_migrate.connect(_migrated, sender=app_config, dispatch_uid="syncjobs_reconciler_schedule")
    post_save.connect(_flow_saved, sender=SyncFlow, dispatch_uid="syncjobs_flow_schedule")
    post_delete.connect(_flow_deleted, sender=SyncFlow, dispatch_uid="syncjobs_flow_schedule_delete")
