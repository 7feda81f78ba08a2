"""The dashboard on the admin index: flow health, records per day, API calls, queue age."""

import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_q.models import OrmQ

from connectors import quota
from connectors.guard import connector_breaker
from connectors.state import get_state
from syncjobs.models import ParentWait, RecordStatus, RunStatus, SyncRecord
from syncjobs.operations import control, dashboard
from tests.syncjobs.factories import make_flow, make_fxiaoke, make_k3cloud, make_records, make_run

pytestmark = pytest.mark.django_db
INDEX = reverse("admin:index")


@pytest.fixture
def crm():
    return make_fxiaoke("crm", daily_call_quota=1000)


@pytest.fixture
def erp():
    return make_k3cloud("erp")


def row(page, slug):
    match = re.search(
        rf'<tr class="flow-health-row" data-flow="{slug}" data-level="(\w+)">(.*?)</tr>', page, re.S
    )
    assert match, f"no dashboard row for {slug}"
    return match.group(1), match.group(2)


def finished(flow, status, minutes_ago=10, **counts):
    now = timezone.now()
    return make_run(
        flow,
        status=status,
        queued_at=now - timedelta(minutes=minutes_ago),
        started_at=now - timedelta(minutes=minutes_ago),
        finished_at=now - timedelta(minutes=minutes_ago - 1),
        **counts,
    )


def test_a_failing_flow_stands_out_and_a_healthy_one_does_not(admin_client_csrf, crm, erp):
    failing, healthy = make_flow("orders"), make_flow("customers")
    finished(failing, RunStatus.SUCCEEDED, minutes_ago=120)
    make_records(finished(failing, RunStatus.FAILED, failed_count=4), 4, status=RecordStatus.FAILED)
    finished(healthy, RunStatus.SUCCEEDED, created_count=5)

    page = admin_client_csrf.get(INDEX).content.decode()

    level, cells = row(page, "orders")
    assert level == "bad" and "failing" in cells and ">4</a>" in cells
    level, cells = row(page, "customers")
    assert level == "ok" and "healthy" in cells and "10 min" in cells  # read up to its last start


def test_waiting_records_paused_flows_and_flows_that_never_ran_need_attention(admin_client_csrf, crm, erp):
    waiting, paused = make_flow("orders"), make_flow("receipts")
    make_flow("shipments")
    for flow in (waiting, paused):
        finished(flow, RunStatus.SUCCEEDED)
    customers = make_flow("customers")
    ParentWait.objects.create(
        flow=waiting, source_id="o1", parent_flow=customers, parent_by="source_id", parent_value="a1"
    )
    control.pause_flow(paused)

    page = admin_client_csrf.get(INDEX).content.decode()

    assert row(page, "orders")[0] == "warn" and '<td class="num">1</td>' in row(page, "orders")[1]
    assert row(page, "receipts")[0] == "warn" and "paused" in row(page, "receipts")[1]
    assert row(page, "shipments")[0] == "warn" and "never ran" in row(page, "shipments")[1]


def test_an_open_breaker_marks_its_flows_and_its_connector(admin_client_csrf, crm, erp):
    flow = make_flow("customers", source=crm, target=erp)
    finished(flow, RunStatus.SUCCEEDED)
    breaker = connector_breaker(erp.connector_key)
    for _ in range(breaker.fail_max):
        breaker.record_failure()

    page = admin_client_csrf.get(INDEX).content.decode()

    level, cells = row(page, "customers")
    assert level == "bad" and "ERP erp" in cells and ">open<" in cells
    assert re.search(r'data-connector="erp">.*?>open<', page, re.S)


def test_api_calls_per_connector_per_day_against_the_quota(admin_client_csrf, crm, erp):
    state = get_state()
    state.count_call(crm.connector_key, "/cgi/crm/v2/data/query", 600)
    state.count_call(crm.connector_key, "/cgi/crm/v2/data/create", 300)
    quota.note_exhausted(erp.connector_key, timezone.now() + timedelta(hours=3))

    board = dashboard.build()

    calls = {row.connector.slug: row for row in board.connectors}
    assert calls["crm"].today == 900 and calls["crm"].quota == 1000
    assert len(calls["crm"].days) == 7 and [c for _d, c in calls["crm"].days[:-1]] == [0] * 6
    assert 'aria-label="90%"' in calls["crm"].meter()
    assert calls["erp"].quota_exhausted_until is not None
    page = admin_client_csrf.get(INDEX).content.decode()
    assert re.search(
        r'data-connector="crm">.*?<td class="num">900</td>.*?<td class="num">1000</td>', page, re.S
    )
    assert "used up until" in page


def test_the_chart_counts_records_synced_and_failed_per_day(admin_client_csrf, crm, erp):
    flow = make_flow("customers")
    finished(flow, RunStatus.PARTIAL, created_count=7, updated_count=3, unchanged_count=50, failed_count=2)
    old = finished(flow, RunStatus.SUCCEEDED, created_count=100)
    old.queued_at = timezone.now() - timedelta(days=31)
    old.save()

    board = dashboard.build()

    assert board.chart_totals == {"synced": 10, "failed": 2}
    assert str(board.chart).startswith('<svg class="hub-chart"')
    assert "<title>" in str(board.chart) and board.chart.count('class="bar-synced"') == 30
    assert "hub-chart" in admin_client_csrf.get(INDEX).content.decode()


def test_the_age_of_the_oldest_queued_task(admin_client_csrf):
    now = timezone.now()
    OrmQ.objects.create(key="integration_hub", payload="x", lock=now - timedelta(minutes=12))
    OrmQ.objects.create(
        key="integration_hub", payload="y", lock=now + timedelta(minutes=5)
    )  # being worked on

    assert 720 <= dashboard.build(now).queue_age_seconds < 721
    assert re.search(r'id="queue-age">12 min<', admin_client_csrf.get(INDEX).content.decode())


def _index_queries(client):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(INDEX).status_code == 200
    return len(captured)


def test_the_dashboard_queries_do_not_grow_with_flows_and_runs(admin_client_csrf, crm, erp):
    def add_flows(start, count):
        for i in range(start, start + count):
            flow = make_flow(f"flow-{i}", source=crm, target=erp)
            finished(flow, RunStatus.FAILED, failed_count=1)
            finished(flow, RunStatus.SUCCEEDED, created_count=3)

    add_flows(0, 2)
    _index_queries(admin_client_csrf)  # warm the session and the content types
    few = _index_queries(admin_client_csrf)
    add_flows(2, 10)

    assert _index_queries(admin_client_csrf) == few <= 40


def test_finance_reviewers_see_the_dashboard_and_staff_without_a_role_do_not(
    finance_client, staff_client, crm, erp
):
    make_flow("customers")

    assert 'id="operations-dashboard"' in finance_client.get(INDEX).content.decode()
    assert 'id="operations-dashboard"' not in staff_client.get(INDEX).content.decode()


def test_a_flow_25_minutes_behind_on_a_five_minute_schedule_is_not_healthy(admin_client_csrf, crm, erp):
    now = datetime(2026, 12, 4, 2, 0, tzinfo=UTC)
    behind = make_flow("orders", enabled=True, schedule_minutes=5)
    current = make_flow("customers", enabled=True, schedule_minutes=5)
    with time_machine.travel(now, tick=False):
        finished(behind, RunStatus.SUCCEEDED, minutes_ago=25)
        finished(current, RunStatus.SUCCEEDED, minutes_ago=4)
        admin_client_csrf.cookies["django_language"] = "zh-hans"

        page = admin_client_csrf.get(INDEX, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()

    level, cells = row(page, "orders")
    assert level == "warn" and "健康" not in cells and "落后" in cells
    assert "<strong>25 分钟</strong>" in cells and "阈值：15 分钟" in cells
    level, cells = row(page, "customers")
    assert level == "ok" and "健康" in cells


@time_machine.travel(datetime(2026, 12, 4, 2, 0, tzinfo=UTC), tick=False)
def test_the_lag_and_runs_waiting_come_from_the_lag_figures(crm, erp):
    now = timezone.now()
    flow = make_flow("customers", enabled=True, schedule_minutes=10)
    finished(flow, RunStatus.SUCCEEDED, minutes_ago=8)
    make_run(flow, status=RunStatus.QUEUED, queued_at=now - timedelta(minutes=3))

    health = dashboard.build(now).flows[0]

    assert health.lag == timedelta(minutes=8) and health.figures.threshold == timedelta(minutes=30)
    assert health.figures.runs_waiting == 1 and not health.behind and health.level == "ok"


def test_failures_in_24_hours_count_records_still_failed_not_attempts(admin_client_csrf, crm, erp):
    flow = make_flow("orders")
    for _attempt in range(3):  # one record failed three times, then ignored; another still failed
        make_records(finished(flow, RunStatus.FAILED, failed_count=1), 1, status=RecordStatus.SUPERSEDED)
    run = finished(flow, RunStatus.FAILED, failed_count=2)
    make_records(run, 1, status=RecordStatus.IGNORED)
    SyncRecord.objects.create(run=run, flow=flow, source_id="still-failed", status=RecordStatus.FAILED)

    assert dashboard.open_failures_since(timezone.now() - timedelta(hours=24)) == {flow.pk: 1}
    SyncRecord.objects.filter(source_id="still-failed").update(status=RecordStatus.IGNORED)
    assert dashboard.open_failures_since(timezone.now() - timedelta(hours=24)) == {}


def test_a_flow_whose_failed_records_were_all_ignored_is_healthy_again(crm, erp):
    flow = make_flow("orders")
    make_records(finished(flow, RunStatus.FAILED, failed_count=2), 2, status=RecordStatus.FAILED)
    assert dashboard.build().flows[0].level == "bad"

    SyncRecord.objects.filter(flow=flow).update(status=RecordStatus.IGNORED)

    assert dashboard.build().flows[0].level == "ok"


def test_a_run_that_failed_as_a_whole_stays_failed_whatever_its_records(crm, erp):
    flow = make_flow("orders")
    finished(flow, RunStatus.FAILED, failed_count=0, message="Reading failed")

    assert dashboard.build().flows[0].level == "bad"
