"""A record the ERP refused because of a value-map entry links to that value map's entries page."""

import random
from html import escape

import pytest
from django.urls import reverse
from django.utils.http import urlencode

from syncjobs.models import RecordStatus, SyncRecord
from syncjobs.services import sync
from tests.syncjobs.engine.scenarios import Hub
from tests.syncjobs.factories import make_mapping, make_value_map


@pytest.fixture(autouse=True)
def fast_client_retries(settings):
    settings.INTEGRATION_HUB_RETRY_BASE_SECONDS = 0.01
    settings.INTEGRATION_HUB_RETRY_CAP_SECONDS = 0.05


@pytest.fixture
def refused(db, sandbox):
    """A customer the ERP refused: its type's value-map entry names a number the ERP lacks."""
    sandbox.set_faults("fxiaoke", rate_limit=100000, token_limit_per_minute=1000)
    hub = Hub(sandbox, size=3)
    flow = hub.customers()
    value_map = make_value_map("customer-types", {"1": "KHLB404_SYS"}, name="客户类型 → 客户类别")
    params = {"map": "customer-types"}
    make_mapping(flow, "FCustTypeId.FNumber", "account_type", "value_map", params, required=True, position=6)
    sync.run_now(flow, sleep=lambda s: None, rng=random.Random(1))
    record = SyncRecord.objects.filter(flow=flow, status=RecordStatus.FAILED).first()
    return record, value_map


def entries_url(record, value_map):
    query = urlencode(
        {
            "flow": record.flow_id,
            "source": "account_type",
            "target": "FCustTypeId.FNumber",
            "next": reverse("console:record_timeline", args=[record.pk]),  # the way back once saved
        }
    )
    return f"{reverse('console:value_map_entries', args=[value_map.pk])}?{query}"


def test_the_record_page_links_to_the_entries_page_of_the_value_map_to_fix(admin_client_csrf, refused):
    record, value_map = refused

    page = admin_client_csrf.get(reverse("console:record_timeline", args=[record.pk])).content.decode()

    assert f'href="{escape(entries_url(record, value_map))}"' in page
    assert "Correct the entry “1” → “KHLB404_SYS” of value map “客户类型 → 客户类别”" in page
    assert admin_client_csrf.get(entries_url(record, value_map)).status_code == 200


def test_readers_who_may_not_edit_value_maps_see_the_entry_without_a_link(finance_client, refused):
    record, value_map = refused

    page = finance_client.get(reverse("console:record_timeline", args=[record.pk])).content.decode()

    assert "Correct the entry “1” → “KHLB404_SYS”" in page
    assert reverse("console:value_map_entries", args=[value_map.pk]) not in page


def test_other_failures_offer_no_value_map_link(admin_client_csrf, refused):
    record, value_map = refused
    SyncRecord.objects.filter(pk=record.pk).update(response_excerpt={"error": "something else"})

    page = admin_client_csrf.get(reverse("console:record_timeline", args=[record.pk])).content.decode()

    assert "rc-value-map-fix" not in page and "Correct the entry" not in page
