"""Poisoned values over HTTP: each fails its own record, named, and its batch-mates land.

Orders come from the CRM sandbox with one value made bad through the CRM's own API (a date
of the year 3 million, a 310-digit price, an order number holding a NUL), then go to the
ERP sandbox's BatchSave: the bad record never leaves the hub, the others are saved once.
"""

import random

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from connectors.errors import ConnectorError
from syncjobs.adapters.clients import adapter_for
from syncjobs.models import RecordStatus, RunStatus, SyncRecord
from syncjobs.services import sync
from tests.syncjobs.engine.scenarios import Hub
from tests.syncjobs.factories import make_mapping

PAST_THE_CALENDAR = 99999999999999999  # ms: the year 3170843
TOO_LONG_A_PRICE = "1e309"  # the CRM takes it (no decimals); written out it has 310 digits
NUL_NUMBER = "SO-\x00-7"

# Run again on PostgreSQL in CI: its text and jsonb columns refuse NUL, which SQLite stores.
pytestmark = pytest.mark.engine


@pytest.fixture(autouse=True)
def fast_client_retries(settings):
    settings.INTEGRATION_HUB_RETRY_BASE_SECONDS = 0.01
    settings.INTEGRATION_HUB_RETRY_CAP_SECONDS = 0.05


def run(flow, **options):
    flow.refresh_from_db()
    return sync.run_now(flow, sleep=lambda s: None, rng=random.Random(3), **options)


def hub_with_orders(sandbox, orders):
    sandbox.set_faults("fxiaoke", rate_limit=100000, token_limit_per_minute=1000)
    seeded = sandbox.seed(size=20, seed=11, orders=orders, lines=2)
    return Hub.attached(sandbox.base_url, seeded["k3cloud"], seeded["fxiaoke"], sandbox)


def ready_orders(hub, batch_size):
    """The orders flow with its customers and products synced, as in a running hub."""
    customers, products = hub.customers(), hub.products()
    assert run(products).failed_count == 0 and run(customers).failed_count == 0
    return hub.orders(batch_size=batch_size)


def poison(hub, kind, order_id):
    """Make one value of order ``order_id`` bad through the CRM's API; the field it reaches."""
    crm = adapter_for(hub.crm)
    try:
        if kind == "date":
            crm.update_fields("SalesOrderObj", order_id, {"order_time": PAST_THE_CALENDAR})
            return "FDate"
        if kind == "price":
            line = next(crm.client.query("SalesOrderProductObj", [("order_id", "EQ", [order_id])]))
            crm.update_fields("SalesOrderProductObj", line["_id"], {"sales_price": TOO_LONG_A_PRICE})
            return "FSaleOrderEntry[].FTaxPrice"
        crm.update_fields("SalesOrderObj", order_id, {"name": NUL_NUMBER})
        return "FBillNo"
    finally:
        crm.client.close()


def failures(result):
    return {r.source_id: r for r in SyncRecord.objects.filter(run=result, status=RecordStatus.FAILED)}


def erp_orders(hub):
    return hub.records(hub.erp, "SAL_SaleOrder", ["FBillNo", "FSaleOrderEntry[].FTaxPrice"])


@pytest.mark.parametrize(
    ("kind", "shown"),
    [("date", "99999999999999999"), ("price", "1000000000"), ("name", "SO-\\x00-7")],
)
def test_one_poisoned_order_fails_alone_naming_its_field_and_value(db, sandbox, kind, shown):
    hub = hub_with_orders(sandbox, orders=6)
    flow = ready_orders(hub, batch_size=6)
    order_ids = sorted(hub.records(hub.crm, "SalesOrderObj", ["name"]))
    field = poison(hub, kind, order_ids[2])
    mark = hub.mark("k3cloud")

    result = run(flow)

    (bad,) = failures(result).values()
    assert bad.source_id == order_ids[2] and bad.error_field == field
    assert field in bad.error_message and shown in bad.error_message
    assert "\x00" not in bad.error_message and len(bad.error_message) < 600
    assert (result.status, result.created_count) == (RunStatus.PARTIAL, 5)
    saves = hub.calls("k3cloud", "BatchSave", after=mark)
    assert len(saves) == 1 and all(call["outcome"] != "error" for call in saves)
    assert len(erp_orders(hub)) == 5


def test_a_batch_of_200_orders_with_3_poisoned_ones_syncs_197_and_fails_exactly_3(db, sandbox):
    hub = hub_with_orders(sandbox, orders=200)
    flow = ready_orders(hub, batch_size=200)
    order_ids = sorted(hub.records(hub.crm, "SalesOrderObj", ["name"]))
    poisoned = {
        order_ids[i]: poison(hub, kind, order_ids[i])
        for i, kind in ((17, "date"), (99, "price"), (160, "name"))
    }
    mark = hub.mark("k3cloud")

    result = run(flow)

    assert (result.read_count, result.created_count, result.failed_count) == (200, 197, 3)
    bad = failures(result)
    assert {source: record.error_field for source, record in bad.items()} == poisoned
    for record in bad.values():
        assert record.error_field in record.error_message
    assert len(hub.calls("k3cloud", "BatchSave", after=mark)) == 1  # one save, never repeated
    landed = erp_orders(hub)
    assert len(landed) == 197 and len({row["FBillNo"] for row in landed.values()}) == 197

    again = run(flow)  # the batch-mates are done: nothing of theirs is sent again

    assert (again.created_count, again.updated_count) == (0, 0)
    assert len(erp_orders(hub)) == 197


def crm_writes(hub, mark):
    return [
        c
        for c in hub.calls("fxiaoke", after=mark)
        if c["operation"].rsplit("/", 1)[-1] in ("create", "update")
    ]


def test_crm_targets_get_text_for_text_fields_and_numbers_within_their_places(db, sandbox):
    hub = hub_with_orders(sandbox, orders=1)
    noted = hub.products("noted")
    make_mapping(noted, "remark", "", "constant", {"value": 12.5}, position=3)  # a number

    assert run(noted).failed_count == 0
    remarks = {row["remark"] for row in hub.records(hub.crm, "ProductObj", ["remark"]).values()}
    assert remarks == {"12.5"}  # the CRM takes only text there: sent as text, it landed

    priced = hub.products("priced")
    make_mapping(priced, "price", "", "constant", {"value": "19.999"}, position=3)
    mark = hub.mark("fxiaoke")

    result = run(priced)

    records = SyncRecord.objects.filter(run=result)
    assert result.failed_count == result.read_count > 0
    assert {(r.error_field, r.error_code) for r in records} == {("price", "too_many_decimals")}
    assert "19.999" in records[0].error_message and "at most 2" in records[0].error_message
    assert crm_writes(hub, mark) == []  # refused in the hub, before any call


def test_a_crm_number_for_an_erp_text_field_lands_as_its_digits(db, sandbox):
    hub = hub_with_orders(sandbox, orders=1)
    flow = hub.customers()
    make_mapping(flow, "FDescription", "create_time", position=6)  # ms epoch, a JSON number
    created = [r["create_time"] for r in hub.records(hub.crm, "AccountObj", ["create_time"]).values()]
    assert created and all(isinstance(ms, int) for ms in created)

    result = run(flow)

    assert result.failed_count == 0
    landed = hub.records(hub.erp, "BD_Customer", ["FDescription"])
    assert {row["FDescription"] for row in landed.values()} == {str(ms) for ms in created}


def test_any_text_a_crm_name_holds_syncs_or_fails_that_customer_alone(db, sandbox):
    hub = hub_with_orders(sandbox, orders=1)
    flow = hub.customers(batch_size=20)
    assert run(flow).failed_count == 0
    account_id = sorted(hub.records(hub.crm, "AccountObj", ["name"]))[4]
    crm = adapter_for(hub.crm)
    seen = set()

    @settings(
        max_examples=12,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(
        st.text(alphabet=st.characters(codec="utf-8"), min_size=1, max_size=12)
        | st.sampled_from(["\x00", "a\x1fb"])
    )
    @example("上海\x00华信")
    @example("上海华信 (2)\t")
    def check(name):
        try:
            crm.update_fields("AccountObj", account_id, {"name": name})
        except ConnectorError:
            return  # the CRM itself refused it: nothing to sync
        result = run(flow)
        (record,) = SyncRecord.objects.filter(run=result)
        seen.add(record.status)
        if record.status == RecordStatus.FAILED:
            assert record.error_field == "FName" and "\x00" not in record.error_message
        else:
            assert record.status == RecordStatus.SUCCEEDED

    try:
        check()
    finally:
        crm.client.close()
    assert seen == {RecordStatus.FAILED, RecordStatus.SUCCEEDED}
