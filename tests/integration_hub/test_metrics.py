"""``/metrics``: Prometheus text for a bearer token or a staff login, nothing for anyone else."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from cryptography.fernet import Fernet
from django.contrib.auth.models import User
from django.test import Client
from prometheus_client.parser import text_string_to_metric_families

from connectors import refusals
from connectors.guard import connector_breaker
from connectors.state import get_state
from syncjobs.models import RecordStatus, RunStatus, WriteBack
from syncjobs.operations import metrics
from tests.syncjobs.factories import make_flow, make_fxiaoke, make_k3cloud, make_records, make_run

pytestmark = pytest.mark.django_db
URL = "/metrics"
TOKEN = "scrape-me-7f3a"
NOW = datetime(2026, 12, 4, 2, 0, tzinfo=UTC)
METRIC_NAMES = (
    "integration_hub_flow_lag_seconds",
    "integration_hub_flow_lag_threshold_seconds",
    "integration_hub_flow_queue_wait_seconds",
    "integration_hub_flow_runs",
    "integration_hub_flow_records_waiting_for_parent",
    "integration_hub_records_synced_total",
    "integration_hub_records_failed_total",
    "integration_hub_write_backs_pending",
    "integration_hub_api_calls_total",
    "integration_hub_api_refusals_total",
    "integration_hub_connector_breaker_state",
)


@pytest.fixture(autouse=True)
def configured(settings):
    settings.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    settings.INTEGRATION_HUB_METRICS_TOKEN = TOKEN


@pytest.fixture
def connectors():
    return make_fxiaoke("crm"), make_k3cloud("erp")


def login(is_staff):
    client = Client()
    client.force_login(User.objects.create_user("staff" if is_staff else "visitor", is_staff=is_staff))
    return client


def samples(text):
    """``{(name, labels as a sorted tuple): value}`` of an exposition."""
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def test_an_anonymous_scrape_is_refused_with_401():
    response = Client().get(URL)

    assert response.status_code == 401 and response["WWW-Authenticate"].startswith("Bearer")
    assert b"integration_hub" not in response.content


@pytest.mark.parametrize("header", ["Bearer wrong-token", f"Basic {TOKEN}", "Bearer", f"Bearer {TOKEN}x"])
def test_a_wrong_token_is_refused_with_401(header):
    assert Client().get(URL, HTTP_AUTHORIZATION=header).status_code == 401


def test_an_empty_bearer_token_opens_nothing_when_none_is_configured(settings):
    settings.INTEGRATION_HUB_METRICS_TOKEN = ""

    assert Client().get(URL, HTTP_AUTHORIZATION="Bearer ").status_code == 401


def test_the_right_token_gets_every_metric_name(connectors):
    make_flow("customers", enabled=True, schedule_minutes=5)

    response = Client().get(URL, HTTP_AUTHORIZATION=f"Bearer {TOKEN}")

    assert response.status_code == 200 and response["Content-Type"].startswith("text/plain; version=")
    text = response.content.decode()
    for name in METRIC_NAMES:
        assert f"\n# TYPE {name} " in text, name


def test_a_staff_login_gets_the_metrics():
    response = login(is_staff=True).get(URL)

    assert response.status_code == 200 and b"integration_hub_api_calls_total" in response.content


def test_a_login_without_staff_status_is_forbidden():
    assert login(is_staff=False).get(URL).status_code == 403


def test_a_post_is_not_allowed():
    assert Client().post(URL, HTTP_AUTHORIZATION=f"Bearer {TOKEN}").status_code == 405


def test_the_figures_per_flow_and_per_connector(connectors):
    crm, erp = connectors
    flow = make_flow("orders", source=crm, target=erp, enabled=True, schedule_minutes=5)
    make_flow("customers", source=crm, target=erp)  # never ran: no lag sample
    with time_machine.travel(NOW, tick=False):
        done = make_run(
            flow,
            status=RunStatus.PARTIAL,
            queued_at=NOW - timedelta(minutes=25),
            started_at=NOW - timedelta(minutes=25),
            finished_at=NOW - timedelta(minutes=24),
            created_count=7,
            updated_count=3,
            unchanged_count=40,
            failed_count=2,
        )
        make_records(done, 2, status=RecordStatus.FAILED)
        make_run(flow, status=RunStatus.QUEUED, queued_at=NOW - timedelta(minutes=4))
        WriteBack.objects.create(
            flow=flow, connector=crm, object_name="AccountObj", record_id="a1", values={}
        )
        state = get_state()
        state.count_call(erp.connector_key, "Save", 5)
        refusals.count(state, erp.connector_key, "Save")
        breaker = connector_breaker(erp.connector_key, state)
        for _ in range(breaker.fail_max):
            breaker.record_failure()

        found = samples(metrics.exposition(NOW).decode())

    orders = (("flow", "orders"),)
    assert found[("integration_hub_flow_lag_seconds", orders)] == 25 * 60
    assert found[("integration_hub_flow_lag_threshold_seconds", orders)] == 15 * 60
    assert found[("integration_hub_flow_queue_wait_seconds", orders)] == 4 * 60
    assert found[("integration_hub_flow_runs", (("flow", "orders"), ("status", "queued")))] == 1
    assert found[("integration_hub_flow_runs", (("flow", "orders"), ("status", "running")))] == 0
    assert found[("integration_hub_records_synced_total", orders)] == 10
    assert found[("integration_hub_records_failed_total", orders)] == 2
    assert found[("integration_hub_write_backs_pending", orders)] == 1
    assert ("integration_hub_flow_lag_seconds", (("flow", "customers"),)) not in found
    erp_save = (("connector", "erp"), ("interface", "Save"), ("system", "k3cloud"))
    assert found[("integration_hub_api_calls_total", erp_save)] == 5
    assert found[("integration_hub_api_refusals_total", erp_save)] == 1
    assert found[("integration_hub_connector_breaker_state", (("connector", "erp"), ("state", "open")))] == 1
    assert (
        found[("integration_hub_connector_breaker_state", (("connector", "crm"), ("state", "closed")))] == 1
    )


def test_the_record_counters_only_grow_as_runs_finish(connectors):
    flow = make_flow("orders")
    make_run(flow, status=RunStatus.SUCCEEDED, created_count=4)
    key = ("integration_hub_records_synced_total", (("flow", "orders"),))
    first = samples(metrics.exposition().decode())[key]
    make_run(flow, status=RunStatus.RUNNING, updated_count=2)

    assert (first, samples(metrics.exposition().decode())[key]) == (4, 6)


def test_a_scrape_takes_a_bounded_number_of_queries_however_many_flows_and_runs(
    connectors, django_assert_max_num_queries
):
    crm, erp = connectors
    for i in range(15):
        flow = make_flow(f"flow-{i}", source=crm, target=erp, enabled=True, schedule_minutes=5)
        make_run(flow, status=RunStatus.SUCCEEDED, created_count=3, started_at=NOW)
        make_run(flow, status=RunStatus.QUEUED, options={"ids": ["x"]})
    client = Client()

    # Six for all the flows, one for the connectors, three per connector (breaker, calls, refusals).
    with django_assert_max_num_queries(6 + 1 + 3 * 2):
        assert client.get(URL, HTTP_AUTHORIZATION=f"Bearer {TOKEN}").status_code == 200
