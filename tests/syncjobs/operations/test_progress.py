"""Live progress: the numbers, the JSON endpoint the pages poll, and who may read it."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from syncjobs.models import RunPhase, RunStatus
from syncjobs.operations.progress import flows_progress, progress_of
from tests.syncjobs.factories import make_flow, make_run

# The clock is frozen first, so the clients log in on it and their sessions have not expired.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]


def running(flow, now, **fields):
    values = {
        "status": RunStatus.RUNNING,
        "phase": RunPhase.WRITING,
        "started_at": now - timedelta(seconds=10),
        "progress_done": 50,
        "progress_total": 200,
        **fields,
    }
    return make_run(flow, **values)


def test_it_reports_done_total_percent_rate_and_time_left(now):
    run = running(make_flow(), now)

    progress = progress_of(run, now)

    assert (progress["done"], progress["total"], progress["percent"]) == (50, 200, 25)
    assert progress["rate"] == 5.0
    assert progress["eta_seconds"] == 30
    assert progress["phase_label"] == "Writing the target"
    assert progress["text"] == "50 of 200 records · 5.0/s · about 30 s left"


def test_while_reading_it_counts_what_was_read_without_a_total(now):
    run = running(
        make_flow(), now, phase=RunPhase.READING, progress_total=None, progress_done=0, read_count=340
    )

    progress = progress_of(run, now)

    assert progress["percent"] is None and progress["eta_seconds"] is None
    assert progress["text"] == "Reading the source: 340 records so far"


def test_a_finished_run_is_at_100_percent(now):
    run = running(make_flow(), now, status=RunStatus.PARTIAL, phase=RunPhase.DONE, finished_at=now)

    assert progress_of(run, now)["percent"] == 100
    assert progress_of(run, now)["finished"] is True


def test_a_flow_shows_its_running_run_before_a_queued_one(now):
    flow = make_flow()
    make_run(flow, status=RunStatus.QUEUED)
    active = running(flow, now)
    make_run(flow, status=RunStatus.SUCCEEDED)

    assert flows_progress([flow.pk], now)[flow.pk]["run"] == active.pk
    assert flows_progress([make_flow("idle").pk], now) == {}


def test_the_endpoint_answers_runs_and_flows_in_json(admin_client_csrf, now):
    flow = make_flow()
    run = running(flow, now)

    answer = admin_client_csrf.get(
        reverse("operations:progress"), {"runs": str(run.pk), "flows": str(flow.pk)}
    )

    assert answer.status_code == 200
    data = answer.json()
    assert data["runs"][str(run.pk)]["done"] == 50
    assert data["flows"][str(flow.pk)]["run"] == run.pk
    assert data["paused"] == []
    assert answer["Cache-Control"].startswith("max-age=0")


def test_finance_reviewers_may_read_progress_and_others_may_not(
    finance_client, staff_client, anonymous_client, now
):
    run = running(make_flow(), now)
    url = reverse("operations:progress") + f"?runs={run.pk}"

    assert finance_client.get(url).status_code == 200
    assert staff_client.get(url).status_code == 403
    assert anonymous_client.get(url).status_code == 302  # to the login page


def test_the_endpoint_takes_get_only(admin_client_csrf):
    assert admin_client_csrf.post_form(reverse("operations:progress")).status_code == 405


def _queries_for(client, flows, runs):
    query = {"runs": ",".join(str(r.pk) for r in runs), "flows": ",".join(str(f.pk) for f in flows)}
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("operations:progress"), query).status_code == 200
    return len(captured)


def test_the_endpoint_queries_do_not_grow_with_the_runs_asked_for(admin_client_csrf, now):
    flows = [make_flow(f"flow-{i}") for i in range(12)]
    runs = [running(flow, now) for flow in flows]
    _queries_for(admin_client_csrf, flows[:1], runs[:1])  # warm the session

    one = _queries_for(admin_client_csrf, flows[:1], runs[:1])
    twelve = _queries_for(admin_client_csrf, flows, runs)

    assert twelve == one <= 7  # session, user, permissions (2), runs, flows, paused flows


def test_the_run_page_shows_a_progress_bar_that_refreshes_itself(admin_client_csrf, now):
    run = running(make_flow(), now)

    page = admin_client_csrf.get(reverse("admin:syncjobs_syncrun_change", args=[run.pk])).content.decode()

    assert f'data-progress-run="{run.pk}"' in page
    assert "width: 25%" in page
    assert "syncjobs/progress.js" in page and reverse("operations:progress") in page


def test_the_flow_list_has_a_progress_column_for_every_flow(admin_client_csrf):
    flows = [make_flow("orders"), make_flow("customers")]

    page = admin_client_csrf.get(reverse("admin:syncjobs_syncflow_changelist")).content.decode()

    for flow in flows:
        assert f'data-progress-flow="{flow.pk}"' in page
    assert "syncjobs/progress.js" in page
