"""Tasks are named by dotted path in the queue and the schedules: every path resolves, and rows
stored before the console's tasks moved to ``syncjobs.tasks`` keep working."""

import pkgutil
from importlib import import_module

import pytest
from django.apps import apps
from django_q.models import Schedule

from syncjobs import migrations, schedules, tasks
from syncjobs.engine import dispatch
from syncjobs.operations.reconciliation import reports

pytestmark = pytest.mark.django_db

OLD = "syncjobs.operations.tasks."


def task_paths_migration():
    [found] = [
        info.name for info in pkgutil.iter_modules(migrations.__path__) if info.name.endswith("_task_paths")
    ]
    return import_module(f"syncjobs.migrations.{found}")


def resolve(path):
    module, name = path.rsplit(".", 1)
    return getattr(import_module(module), name)


def test_every_path_the_hub_queues_or_schedules_names_a_task():
    paths = [dispatch.EXECUTE_RUN, dispatch.HELP_RUN, dispatch.DRAIN_WRITE_BACKS, reports.RUN_TASK]
    paths += [schedules.RUN_FLOW, schedules.RECONCILE, *(spec["func"] for spec in schedules.SCHEDULES)]

    assert all(resolve(path) is getattr(tasks, path.rsplit(".", 1)[1]) for path in paths)


def test_a_task_queued_under_its_old_path_still_runs_the_same_task():
    for name in task_paths_migration().MOVED:
        assert resolve(OLD + name) is getattr(tasks, name)


def test_stored_schedules_of_the_moved_tasks_are_pointed_at_their_new_path():
    moved = Schedule.objects.create(name="an administrator's check", func=OLD + "check_alerts", repeats=-1)
    other = Schedule.objects.create(name="someone else's", func="elsewhere.tasks.check_alerts", repeats=-1)

    task_paths_migration().to_new_paths(apps, None)
    moved.refresh_from_db()
    other.refresh_from_db()

    assert (moved.func, other.func) == ("syncjobs.tasks.check_alerts", "elsewhere.tasks.check_alerts")
    task_paths_migration().to_old_paths(apps, None)
    moved.refresh_from_db()
    assert moved.func == OLD + "check_alerts"
