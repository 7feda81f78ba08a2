"""The lag figures: the age of the oldest source change not yet written, queue wait, runs and
records waiting, and each flow's threshold — under a frozen clock."""

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from syncjobs.engine.options import FlowOptions, OptionsError
from syncjobs.models import ParentWait, RecordStatus, RunStatus, SyncFlow
from syncjobs.queries import lag
from tests.syncjobs.factories import make_flow, make_records, make_run

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 12, 4, 2, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def frozen(clock):
    clock.move_to(NOW)


def ago(minutes):
    return NOW - timedelta(minutes=minutes)


def read(flow, minutes_ago, status=RunStatus.SUCCEEDED, **fields):
    """A finished run that read the source, started ``minutes_ago``."""
    return make_run(
        flow,
        status=status,
        queued_at=ago(minutes_ago),
        started_at=ago(minutes_ago),
        finished_at=ago(minutes_ago - 1),
        **fields,
    )


def figures_of(flow):
    return lag.figures(NOW)[flow.pk]


def test_the_lag_counts_from_the_start_of_the_latest_complete_read():
    flow = make_flow("customers", enabled=True, schedule_minutes=5)
    read(flow, 40)
    read(flow, 12, status=RunStatus.PARTIAL)  # some records failed, the read went to the end
    read(flow, 3, status=RunStatus.FAILED)  # the source could not be read: vouches for nothing

    figures = figures_of(flow)

    assert figures.lag == timedelta(minutes=12) and figures.read_up_to == ago(12)
    assert figures.threshold == timedelta(minutes=15) and not figures.behind


def test_a_run_of_chosen_records_does_not_count_as_a_read_but_its_wait_does():
    flow = make_flow("customers", enabled=True, schedule_minutes=5)
    read(flow, 4)
    read(flow, 2, options={"ids": ["a1"]})
    make_run(flow, status=RunStatus.QUEUED, queued_at=ago(30), options={"ids": ["a2"]})

    figures = figures_of(flow)

    assert figures.read_up_to == ago(4)
    assert figures.lag == timedelta(minutes=30) and figures.behind
    assert figures.queue_wait == timedelta(minutes=30) and figures.runs_queued == 1


def test_the_oldest_record_waiting_for_a_parent_sets_the_lag_by_its_source_change():
    flow, parents = make_flow("orders", enabled=True, schedule_minutes=10), make_flow("customers")
    run = read(flow, 5)
    make_records(run, 1, status=RecordStatus.WAITING, source_modified_at=ago(50))
    make_records(run, 1, status=RecordStatus.WAITING, source_modified_at=ago(20))
    ParentWait.objects.create(
        flow=flow, source_id="o1", parent_flow=parents, parent_by="source_id", parent_value="a1"
    )

    figures = figures_of(flow)

    assert figures.lag == timedelta(minutes=50) and figures.records_waiting == 1
    assert figures.threshold == timedelta(minutes=30) and figures.behind


def test_failed_and_dead_records_wait_for_a_person_and_leave_the_lag_alone():
    flow = make_flow("customers", enabled=True, schedule_minutes=5)
    run = read(flow, 2)
    make_records(run, 1, status=RecordStatus.FAILED, source_modified_at=ago(600))
    make_records(run, 1, status=RecordStatus.DEAD, source_modified_at=ago(900))

    assert figures_of(flow).lag == timedelta(minutes=2)


def test_runs_queued_running_and_paused_are_counted_and_the_queue_wait_is_the_oldest_not_started():
    flow = make_flow("customers", enabled=True, schedule_minutes=5)
    read(flow, 8)
    make_run(flow, status=RunStatus.RUNNING, queued_at=ago(7), started_at=ago(7))
    make_run(flow, status=RunStatus.QUEUED, queued_at=ago(6))
    make_run(flow, status=RunStatus.QUEUED, queued_at=ago(1))
    make_run(flow, status=RunStatus.PAUSED, queued_at=ago(3))

    figures = figures_of(flow)

    assert (figures.runs_queued, figures.runs_running, figures.runs_paused) == (2, 1, 1)
    assert figures.runs_waiting == 3 and figures.queue_wait == timedelta(minutes=6)
    assert figures.lag == timedelta(minutes=8)


def test_a_flow_that_never_finished_a_read_counts_from_its_first_run_and_one_that_never_ran_has_none():
    loading, idle = make_flow("customers", enabled=True, schedule_minutes=5), make_flow("orders")
    make_run(loading, status=RunStatus.RUNNING, queued_at=ago(45), started_at=ago(44))

    figures = lag.figures(NOW)

    assert figures[loading.pk].lag == timedelta(minutes=45) and figures[loading.pk].read_up_to is None
    assert figures[idle.pk].lag is None and not figures[idle.pk].behind


def test_without_a_read_run_the_watermark_stands_in():
    flow = make_flow("customers", enabled=True, schedule_minutes=5)
    SyncFlow.objects.filter(pk=flow.pk).update(watermark=ago(90))

    assert figures_of(flow).lag == timedelta(minutes=90)


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"enabled": True, "schedule_minutes": 5}, timedelta(minutes=15)),
        ({"enabled": True, "schedule_cron": "*/10 * * * *"}, timedelta(minutes=30)),
        ({"enabled": True, "schedule_cron": "0 * * * *"}, timedelta(hours=3)),
        (
            {"enabled": True, "schedule_minutes": 5, "options": {"lag_threshold_minutes": 45}},
            timedelta(minutes=45),
        ),
        ({"enabled": True}, None),  # run by hand only: never judged
        ({"enabled": False, "schedule_minutes": 5}, None),  # disabled on purpose
        ({"enabled": True, "schedule_minutes": 5, "options": {"max_attempts": 0}}, timedelta(minutes=15)),
    ],
)
def test_the_threshold_is_the_option_or_three_schedule_intervals(fields, expected):
    flow = make_flow("customers", **fields)

    assert lag.threshold(flow, NOW) == expected


@pytest.mark.parametrize("value", [-1, "15", True])
def test_a_lag_threshold_that_is_not_a_number_of_minutes_is_refused(value):
    flow = SyncFlow(options={"lag_threshold_minutes": value}, batch_size=200)

    with pytest.raises(OptionsError, match="lag_threshold_minutes"):
        FlowOptions.of(flow)


def _queries():
    with CaptureQueriesContext(connection) as captured:
        lag.figures(NOW)
    return len(captured)


def test_the_figures_of_all_flows_take_four_queries_however_many_flows_and_runs():
    for i in range(3):
        flow = make_flow(f"flow-{i}", enabled=True, schedule_minutes=5)
        read(flow, 10)
        make_run(flow, status=RunStatus.QUEUED, queued_at=ago(2))
    few = _queries()
    for i in range(3, 12):
        flow = make_flow(f"flow-{i}", enabled=True, schedule_minutes=5)
        read(flow, 10)
        make_run(flow, status=RunStatus.QUEUED, queued_at=ago(2), options={"ids": ["x"]})

    assert _queries() == few == 4
