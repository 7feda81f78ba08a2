"""The console's own django-q2 schedules, kept by name so installing them twice changes nothing."""

SCHEDULES = (
    {
        "name": "Integration Hub: alert check",
        "func": "syncjobs.operations.tasks.check_alerts",
        "schedule_type": "I",  # minutes
        "minutes": 5,
    },
    {
        "name": "Integration Hub: alert digest",
        "func": "syncjobs.operations.tasks.send_alert_digest",
        "schedule_type": "C",
        "cron": "30 8 * * *",
    },
    {
        "name": "Integration Hub: prune record logs",
        "func": "syncjobs.operations.tasks.prune_records",
        "schedule_type": "C",  # cron
        "cron": "30 3 * * *",
    },
    {
        "name": "Integration Hub: field drift check",
        "func": "syncjobs.operations.tasks.check_field_drift",
        "schedule_type": "C",
        "cron": "15 5 * * *",  # before the working day, after the night's full loads
    },
    {
        "name": "Integration Hub: daily reconciliation",
        "func": "syncjobs.operations.tasks.scheduled_reconciliation",
        "schedule_type": "C",
        "cron": "0 6 * * *",
    },
)


def install(schedule_model):
    """Create the schedules that are missing; an administrator's later edits are kept."""
    for spec in SCHEDULES:
        values = {key: value for key, value in spec.items() if key != "name"}
        schedule_model.objects.get_or_create(name=spec["name"], defaults={**values, "repeats": -1})
