import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from syncjobs.models import SyncRecord
from tests.syncjobs.factories import make_flow, make_records, make_run

pytestmark = pytest.mark.django_db
CHANGELIST = "admin:syncjobs_syncrecord_changelist"


def queries_for(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured), response


def test_records_changelist_uses_the_same_queries_for_10_and_1000_rows(admin_client_csrf):
    flow = make_flow()
    make_records(make_run(flow), 10)
    url = reverse(CHANGELIST) + "?status__exact=succeeded"
    admin_client_csrf.get(url)  # warm the session and content-type caches
    small, _response = queries_for(admin_client_csrf, url)
    make_records(make_run(flow), 990)
    large, response = queries_for(admin_client_csrf, url)
    assert small == large
    assert len(response.context["cl"].result_list) == 50


def test_big_changelists_never_count_the_whole_table(admin_client_csrf):
    make_records(make_run(make_flow()), 600)
    with CaptureQueriesContext(connection) as captured:
        response = admin_client_csrf.get(reverse(CHANGELIST))
    counts = [q["sql"] for q in captured if "COUNT(" in q["sql"].upper()]
    assert counts and all("LIMIT" in sql.upper() for sql in counts)
    # 1 page asked + 10 ahead at 50 a page: 550 counted, more exist.
    assert "More than 550 records" in response.content.decode()
    assert response.context["cl"].result_count == 550


def test_later_pages_stay_reachable(admin_client_csrf):
    make_records(make_run(make_flow()), 600)
    response = admin_client_csrf.get(reverse(CHANGELIST) + "?p=12")
    assert response.status_code == 200
    assert len(response.context["cl"].result_list) == 50
    assert "More than" not in response.content.decode()


def test_search_matches_the_start_of_ids_and_numbers_and_error_text_loosely(admin_client_csrf):
    run = make_run(make_flow())
    make_records(run, 20)
    make_records(run, 2, status="failed", error_message="字段[客户]是必录字段 (FCustId)")
    url = reverse(CHANGELIST)
    assert _ids(admin_client_csrf, url + "?q=CUST000007") == {"CUST000007"}
    assert _ids(admin_client_csrf, url + "?q=CUST00001") == {f"CUST0000{i}" for i in range(10, 20)}
    assert _ids(admin_client_csrf, url + "?q=UST00001") == set()  # the start, not any part
    assert _ids(admin_client_csrf, url + "?q=FCustId") == {"CUST000000", "CUST000001"}


def test_filters_by_flow_status_trigger_and_date(admin_client_csrf):
    customers, orders = make_flow("customers"), make_flow("orders")
    make_records(make_run(customers, trigger="manual"), 3)
    make_records(make_run(orders, trigger="schedule"), 4, status="dead")
    url = reverse(CHANGELIST)
    assert _count(admin_client_csrf, f"{url}?flow__id__exact={orders.pk}") == 4
    assert _count(admin_client_csrf, f"{url}?status__exact=dead") == 4
    assert _count(admin_client_csrf, f"{url}?run__trigger__exact=manual") == 3
    assert _count(admin_client_csrf, f"{url}?created_at__gte=2000-01-01+00:00:00%2B08:00") == 7


def test_record_page_shows_the_redacted_data(admin_client_csrf):
    run = make_run(make_flow())
    make_records(run, 1, status="failed", error_message="bad", mapped_payload={"FNumber": "C1"})
    record = SyncRecord.objects.get()
    page = admin_client_csrf.get(
        reverse("admin:syncjobs_syncrecord_change", args=[record.pk])
    ).content.decode()
    assert "&quot;FNumber&quot;: &quot;C1&quot;" in page


def _ids(client, url):
    return {record.source_number for record in client.get(url).context["cl"].result_list}


def _count(client, url):
    return client.get(url).context["cl"].result_count


def test_records_changelist_stays_within_a_small_query_budget(admin_client_csrf):
    make_records(make_run(make_flow()), 100)
    url = reverse(CHANGELIST)
    admin_client_csrf.get(url)
    count, _response = queries_for(admin_client_csrf, url)
    # session, user, 2 permission reads, the flows filter, the bounded count, the page,
    # one integration-admin membership check for the queue's menu entries, and the date
    # hierarchy's two (first and last date, then the years or months that hold records).
    assert count <= 10
