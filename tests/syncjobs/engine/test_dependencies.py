"""Children before parents: the parent is synced first, else the child waits and is released."""

import pytest

from syncjobs.engine.dispatch import InlineDispatcher
from syncjobs.engine.runner import Runner
from syncjobs.models import ParentWait, RecordStatus, RunStatus, SyncRecord, Trigger
from syncjobs.services import sync
from tests.syncjobs.engine.conftest import NO_WAIT, add_accounts, run_now
from tests.syncjobs.factories import make_cross_reference, make_flow, make_mapping


@pytest.fixture
def orders(customers, connectors):
    flow = make_flow(
        "orders",
        source=connectors["crm"],
        target=connectors["erp"],
        source_object="SalesOrderObj",
        target_object="SAL_SaleOrder",
        match_keys=["FBillNo"],
        options=dict(NO_WAIT),
    )
    flow.depends_on.add(customers)
    make_mapping(flow, "FBillNo", "name", required=True, position=1)
    make_mapping(
        flow, "FCustId.FNumber", "account_id", "lookup", {"flow": "customers", "by": "source_id"}, position=2
    )
    make_mapping(flow, "FSaleOrderEntry[].FMaterialId.FNumber", "lines[].product_code", position=3)
    return flow


def add_order(crm, number, account_id):
    crm.add(
        "SalesOrderObj", number, {"name": number, "account_id": account_id, "lines": [{"product_code": "P1"}]}
    )


def test_an_order_before_its_customer_syncs_the_customer_first(orders, customers, crm, erp):
    add_accounts(crm, 2)
    add_order(crm, "SO1", "a2")

    run = run_now(orders)

    assert run.created_count == 1
    order = next(iter(erp.data("SAL_SaleOrder").values()))
    assert order["FCustId"] == {"FNumber": "C0002"}
    assert [d["FNumber"] for d in erp.data("BD_Customer").values()] == ["C0002"]
    parent_run = customers.runs.get()
    assert parent_run.trigger == Trigger.DEPENDENCY and parent_run.options == {"ids": ["a2"]}


def test_an_order_whose_customer_cannot_be_synced_waits_naming_it_then_is_released(
    orders, customers, crm, erp
):
    crm.add("AccountObj", "a1", {"account_no": "C0001", "name": ""})  # no name: the customer fails
    add_order(crm, "SO1", "a1")

    run = run_now(orders)

    waiting = SyncRecord.objects.get(run=run)
    assert waiting.status == RecordStatus.WAITING and waiting.waiting_for == "customers: a1"
    assert "customers" in waiting.error_message and "FName" in waiting.error_message
    assert run.status == RunStatus.SUCCEEDED and "wait" in run.message
    assert ParentWait.objects.filter(flow=orders, source_id="SO1", parent_value="a1").exists()

    crm.records["AccountObj"]["a1"]["data"]["name"] = "Fixed"
    crm.records["AccountObj"]["a1"]["modified_at"] = crm.tick()
    sync.run_now(customers, sleep=lambda s: None)  # runs the released child too

    assert len(erp.data("SAL_SaleOrder")) == 1
    assert not ParentWait.objects.exists()
    waiting.refresh_from_db()
    assert waiting.status == RecordStatus.SUPERSEDED
    latest = SyncRecord.objects.filter(flow=orders).latest("id")
    assert latest.status == RecordStatus.SUCCEEDED and latest.run.trigger == Trigger.DEPENDENCY


def test_a_waiting_record_is_released_by_the_reconciler_when_its_parent_landed_elsewhere(
    orders, customers, crm, erp
):
    orders.options = {**orders.options, "parent_sync": False}
    orders.save()
    add_order(crm, "SO1", "a1")
    run_now(orders)
    assert ParentWait.objects.count() == 1
    make_cross_reference(customers, "a1", "C0001", target_id="erp-77")  # linked by an import, say

    dispatcher = InlineDispatcher()
    report = sync.reconcile_runs(dispatcher=dispatcher)
    for run_id in dispatcher.take_runs():
        Runner(run_id, wait=True, sleep=lambda s: None).execute()

    assert report.released == {orders.pk: ["SO1"]} and not ParentWait.objects.exists()
    order = next(iter(erp.data("SAL_SaleOrder").values()))
    assert order["FCustId"] == {"FNumber": "C0001"}


def test_flows_run_in_dependency_order(orders, customers):
    assert [flow.slug for flow in sync.dependency_order([orders, customers])] == ["customers", "orders"]
