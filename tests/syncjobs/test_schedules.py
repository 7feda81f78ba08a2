"""Each flow's django-q2 schedule follows the flow; after downtime a schedule fires once; the
console's checks are installed once."""

from datetime import timedelta
from importlib import import_module

import pytest
from django.utils import timezone
from django_q.models import Schedule
from django_q.scheduler import scheduler

from syncjobs import schedules
from syncjobs.models import RunStatus, SyncRun, Trigger
from syncjobs.tasks import run_flow_on_schedule
from tests.support.queue import empty_queue, waiting_tasks
from tests.syncjobs.factories import make_flow

pytestmark = pytest.mark.django_db


def flow_schedule(flow):
    return Schedule.objects.get(func=schedules.RUN_FLOW, args=repr(flow.pk))


def test_saving_an_enabled_flow_keeps_its_schedule(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        flow = make_flow(enabled=True, schedule_minutes=15)
    schedule = flow_schedule(flow)
    assert (schedule.schedule_type, schedule.minutes, schedule.repeats) == (Schedule.MINUTES, 15, -1)
    assert Schedule.objects.filter(func=schedules.RECONCILE).count() == 1

    with django_capture_on_commit_callbacks(execute=True):
        flow.schedule_minutes, flow.schedule_cron = None, "*/5 * * * *"
        flow.save()
    schedule = flow_schedule(flow)
    assert (schedule.schedule_type, schedule.cron) == (Schedule.CRON, "*/5 * * * *")
    assert (
        schedule.next_run > timezone.now() and Schedule.objects.filter(func=schedules.RUN_FLOW).count() == 1
    )


def test_disabling_or_deleting_a_flow_removes_its_schedule(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        flow = make_flow(enabled=True, schedule_minutes=10)
        other = make_flow("other", enabled=True, schedule_minutes=10)
    with django_capture_on_commit_callbacks(execute=True):
        flow.enabled = False
        flow.save()
        other.delete()
    assert not Schedule.objects.filter(func=schedules.RUN_FLOW).exists()


def test_a_flow_without_timing_has_no_schedule(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        make_flow(enabled=True)
    assert not Schedule.objects.filter(func=schedules.RUN_FLOW).exists()


# The scheduler closes the database connection before it works, as a long-running process
# should; only a committed test survives that on PostgreSQL.
@pytest.mark.broker
@pytest.mark.django_db(transaction=True)
def test_after_downtime_a_schedule_fires_once_not_once_per_missed_slot(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        flow = make_flow(enabled=True, schedule_minutes=5)
    Schedule.objects.filter(pk=flow_schedule(flow).pk).update(
        next_run=timezone.now() - timedelta(minutes=5 * 36)
    )
    empty_queue()

    scheduler()

    queued = [args for func, args in waiting_tasks() if func == schedules.RUN_FLOW]
    assert queued == [(flow.pk,)]
    assert flow_schedule(flow).next_run > timezone.now()


def test_a_scheduled_firing_joins_the_flows_unfinished_run(django_capture_on_commit_callbacks):
    flow = make_flow(enabled=True)
    with django_capture_on_commit_callbacks(execute=False):
        first = run_flow_on_schedule(flow.pk)
        second = run_flow_on_schedule(flow.pk)

    assert first == second
    run = SyncRun.objects.get()
    assert (run.trigger, run.status) == (Trigger.SCHEDULE, RunStatus.QUEUED)
    assert run_flow_on_schedule(make_flow("off", enabled=False).pk) is None


def test_the_checks_are_scheduled_and_their_tasks_exist():
    names = {spec["name"] for spec in schedules.SCHEDULES}
    installed = {s.name: s for s in Schedule.objects.filter(name__in=names)}

    assert set(installed) == names
    assert installed["Integration Hub: alert check"].minutes == 5
    for schedule in installed.values():
        module, name = schedule.func.rsplit(".", 1)
        assert callable(getattr(import_module(module), name))


def test_installing_the_schedules_again_keeps_an_administrators_changes():
    Schedule.objects.filter(name="Integration Hub: alert check").update(minutes=10)

    schedules.install(Schedule)

    assert Schedule.objects.get(name="Integration Hub: alert check").minutes == 10
