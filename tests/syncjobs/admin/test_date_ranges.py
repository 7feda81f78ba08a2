"""Runs and records by date: Django's presets, last month, a custom range of days, the date hierarchy."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from syncjobs.models import SyncRecord, SyncRun
from tests.syncjobs.factories import make_flow, make_records, make_run

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")
RUNS = reverse("admin:syncjobs_syncrun_changelist")
RECORDS = reverse("admin:syncjobs_syncrecord_changelist")


def at(day, hour=12):
    return datetime.datetime(2026, day[0], day[1], hour, tzinfo=SHANGHAI)


@pytest.fixture
def runs_over_two_months():
    flow = make_flow()
    for day in ((10, 31), (11, 1), (11, 30), (12, 1), (12, 3)):
        run = make_run(flow, queued_at=at(day, hour=23 if day == (11, 30) else 1))
        make_records(run, 1)
        SyncRecord.objects.filter(run=run).update(created_at=run.queued_at)
    return flow


def shown(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return sorted(
        timezone_day(row.queued_at if isinstance(row, SyncRun) else row.created_at)
        for row in response.context["cl"].result_list
    )


def timezone_day(moment):
    local = moment.astimezone(SHANGHAI)
    return (local.month, local.day)


@time_machine.travel(datetime.datetime(2026, 12, 4, 10, tzinfo=SHANGHAI), tick=False)
def test_last_month_is_offered_and_keeps_the_whole_previous_month(admin_client_csrf, runs_over_two_months):
    page = admin_client_csrf.get(RUNS).content.decode()
    assert "Last month" in page
    link = [c for c in admin_client_csrf.get(RUNS).context["cl"].filter_specs if c.field_path == "queued_at"][
        0
    ]
    last_month = dict(link.links)["Last month"]
    query = "&".join(f"{key}={value}" for key, value in last_month.items()).replace("+", "%2B")
    assert shown(admin_client_csrf, f"{RUNS}?{query}") == [(11, 1), (11, 30)]


def test_a_custom_range_includes_both_days_in_the_console_time_zone(admin_client_csrf, runs_over_two_months):
    url = f"{RECORDS}?created_at__from=2026-11-01&created_at__until=2026-11-30"
    assert shown(admin_client_csrf, url) == [(11, 1), (11, 30)]
    assert shown(admin_client_csrf, f"{RUNS}?queued_at__from=2026-12-01") == [(12, 1), (12, 3)]
    assert shown(admin_client_csrf, f"{RUNS}?queued_at__until=2026-10-31") == [(10, 31)]


def test_the_range_form_keeps_the_other_filters_and_shows_the_dates_again(
    admin_client_csrf, runs_over_two_months
):
    flow = runs_over_two_months
    page = admin_client_csrf.get(
        f"{RUNS}?flow__id__exact={flow.pk}&queued_at__from=2026-11-01"
    ).content.decode()
    assert f'<input type="hidden" name="flow__id__exact" value="{flow.pk}">' in page
    assert 'name="queued_at__from" value="2026-11-01"' in page


def test_a_date_that_is_not_one_is_refused_as_a_bad_filter(admin_client_csrf, runs_over_two_months):
    response = admin_client_csrf.get(f"{RUNS}?queued_at__from=30/11/2026")
    assert response.status_code == 302 and "e=1" in response["Location"]


def test_runs_and_records_have_a_date_hierarchy(admin_client_csrf, runs_over_two_months):
    for url in (RUNS, RECORDS):
        page = admin_client_csrf.get(url).content.decode()
        assert '<nav class="toplinks">' in page
    assert shown(admin_client_csrf, f"{RUNS}?queued_at__year=2026&queued_at__month=11") == [(11, 1), (11, 30)]


def test_run_durations_read_in_words(admin_client_csrf):
    started = at((12, 1))
    make_run(make_flow(), started_at=started, finished_at=started + datetime.timedelta(seconds=27.320084))
    page = admin_client_csrf.get(RUNS).content.decode()
    assert '<td class="field-duration_display">27 s</td>' in page
    assert "0:00:27" not in page


def test_a_run_page_shows_its_api_calls_as_a_table(admin_client_csrf):
    run = make_run(make_flow(), api_calls={"erp": {"Save": 3, "Submit": 1}})
    page = admin_client_csrf.get(reverse("admin:syncjobs_syncrun_change", args=[run.pk])).content.decode()
    assert "<tr><td>erp</td><td><code>Save</code></td><td>3</td></tr>" in page
    assert "&quot;Save&quot;" not in page


def test_the_flows_list_names_objects_as_people_know_them(admin_client_csrf):
    make_flow("customers", source_object="AccountObj", target_object="BD_Customer")
    page = admin_client_csrf.get(reverse("admin:syncjobs_syncflow_changelist")).content.decode()
    assert '<span title="AccountObj">Account</span>' in page
    assert '<span title="BD_Customer">Customer</span>' in page
