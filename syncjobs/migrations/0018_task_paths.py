"""The console's tasks moved from ``syncjobs.operations.tasks`` to ``syncjobs.tasks``: point the
stored schedules at the new path (django-q2 names a schedule's task by its dotted path)."""

from django.db import migrations

OLD = "syncjobs.operations.tasks."
NEW = "syncjobs.tasks."
MOVED = (
    "check_alerts",
    "send_alert_digest",
    "check_field_drift",
    "prune_records",
    "run_reconciliation",
    "scheduled_reconciliation",
)


def _rename(apps, before, after):
    Schedule = apps.get_model("django_q", "Schedule")
    for name in MOVED:
        Schedule.objects.filter(func=before + name).update(func=after + name)


def to_new_paths(apps, schema_editor):
    _rename(apps, OLD, NEW)


def to_old_paths(apps, schema_editor):
    _rename(apps, NEW, OLD)


class Migration(migrations.Migration):
    # 0007 depends on django_q's migrations, so its Schedule model is known here.
    dependencies = [("syncjobs", "0017_run_message_params")]

    operations = [migrations.RunPython(to_new_paths, to_old_paths)]
