"""Write-backs through the outbox, and our own writes never coming back as changes."""

import json
import time

import pytest

from connectors.errors import QuotaExhaustedError, TransientError
from syncjobs.models import (
    CrossReference,
    RunStatus,
    SyncFlow,
    SyncRun,
    WebhookEvent,
    WriteBack,
    WriteBackStatus,
)
from syncjobs.operations import webhooks
from syncjobs.services import sync
from tests.syncjobs.engine.conftest import NO_WAIT, add_accounts, run_now
from tests.syncjobs.engine.memory import T0
from tests.syncjobs.factories import make_flow, make_mapping

PUSH_SECRET = "whsec-echo-3f9d"


@pytest.fixture
def with_write_back(customers):
    customers.options = {**customers.options, "write_back": {"erp_no": "target_number"}}
    customers.save()
    return customers


@pytest.fixture
def products(connectors):
    """Materials (ERP) → products (CRM), matched by product code."""
    flow = make_flow(
        "products",
        source=connectors["erp"],
        target=connectors["crm"],
        source_object="BD_MATERIAL",
        target_object="ProductObj",
        match_keys=["product_code"],
        options=dict(NO_WAIT),
    )
    make_mapping(flow, "product_code", "FNumber", required=True, position=1)
    make_mapping(flow, "name", "FName", required=True, position=2)
    return flow


def drain():
    return sync.drain_write_backs(sleep=lambda s: None)


def test_write_backs_wait_in_the_outbox_and_never_slow_the_sync(with_write_back, crm, erp):
    add_accounts(crm, 4)

    run = run_now(with_write_back)

    assert run.created_count == 4 and crm.count("update_fields") == 0
    assert WriteBack.objects.filter(status=WriteBackStatus.PENDING).count() == 4
    assert drain().done == 4
    assert crm.data("AccountObj")["a1"]["erp_no"] == "C0001"
    assert crm.count("update_fields") == 4


def test_write_back_failures_are_retried_later_and_quota_stops_the_drain(with_write_back, crm, erp):
    add_accounts(crm, 3)
    run_now(with_write_back)
    crm.fail("update_fields", "a1", TransientError("busy"))
    crm.fail(
        "update_fields", "a2", QuotaExhaustedError("daily quota used up", resets_at=T0.replace(year=2030))
    )

    result = drain()

    assert (result.done, result.stopped) == (0, "pause")
    rows = {row.record_id: row for row in WriteBack.objects.all()}
    assert rows["a1"].status == WriteBackStatus.PENDING and rows["a1"].next_attempt_at is not None
    assert rows["a2"].status == WriteBackStatus.PENDING and rows["a2"].attempts == 0
    assert rows["a2"].next_attempt_at.year == 2030


def test_customers_with_write_back_and_products_ten_times_write_nothing_after_the_first(
    with_write_back, products, crm, erp
):
    add_accounts(crm, 5)
    for i in range(1, 4):
        erp.add("BD_MATERIAL", f"m{i}", {"FNumber": f"P{i}", "FName": f"Motor {i}"}, number=f"P{i}")
    crm.add("ProductObj", "p1", {"product_code": "P1", "name": "Old motor name"})
    writes = []
    for _ in range(10):
        run_now(with_write_back)
        run_now(products)
        drain()
        writes.append((erp.count("write"), crm.count("write"), crm.count("update_fields")))

    assert writes[0] == (2, 1, 5)  # customers in two batches; one product call; five write-backs
    assert writes[1:] == [writes[0]] * 9
    assert len(crm.data("ProductObj")) == 3  # P1 adopted, P2 and P3 created
    assert crm.data("ProductObj")["p1"]["name"] == "Motor 1"


def test_a_genuine_edit_on_either_side_still_syncs(with_write_back, products, crm, erp):
    add_accounts(crm, 2)
    erp.add("BD_MATERIAL", "m1", {"FNumber": "P1", "FName": "Motor"}, number="P1")
    for _ in range(2):
        run_now(with_write_back)
        run_now(products)
        drain()

    crm.records["AccountObj"]["a1"]["data"]["name"] = "Edited in the CRM"
    crm.records["AccountObj"]["a1"]["modified_at"] = crm.tick()
    erp.records["BD_MATERIAL"]["m1"]["data"]["FName"] = "Edited in the ERP"
    erp.records["BD_MATERIAL"]["m1"]["modified_at"] = erp.tick()
    customer_run, product_run = run_now(with_write_back), run_now(products)

    assert customer_run.updated_count == 1 and product_run.updated_count == 1
    assert {d["FName"] for d in erp.data("BD_Customer").values()} >= {"Edited in the CRM"}
    assert next(iter(crm.data("ProductObj").values()))["name"] == "Edited in the ERP"


def test_a_record_written_one_way_comes_back_the_other_way_as_an_echo(customers, connectors, crm, erp):
    back = make_flow(
        "customers-back",
        source=connectors["erp"],
        target=connectors["crm"],
        source_object="BD_Customer",
        target_object="AccountObj",
        options=dict(NO_WAIT),
    )
    make_mapping(back, "account_no", "FNumber", position=1)
    make_mapping(back, "name", "FName", position=2)
    add_accounts(crm, 3)
    run_now(customers)

    echo = run_now(back)

    assert (echo.read_count, echo.created_count, echo.updated_count, echo.unchanged_count) == (3, 0, 0, 3)
    assert len(crm.data("AccountObj")) == 3
    assert CrossReference.objects.filter(flow=back).count() == 3
    erp.records["BD_Customer"]["erp-1"]["data"]["FName"] = "Renamed in the ERP"
    erp.records["BD_Customer"]["erp-1"]["modified_at"] = erp.tick()
    genuine = run_now(back)
    assert genuine.updated_count == 1 and crm.data("AccountObj")["a1"]["name"] == "Renamed in the ERP"
    forward = run_now(customers)
    # The CRM's change is the hub's own write coming back: not even read (it was read as unchanged).
    assert (forward.read_count, forward.echo_count, forward.updated_count) == (0, 1, 0)


def written_back(flow, crm, count, pushed=False):
    """``count`` accounts synced once and given their ERP numbers by the drained write-backs.

    ``pushed``: the CRM pushed the new accounts first, so the hub knows it pushes changes.
    """
    add_accounts(crm, count)
    if pushed:
        push([f"a{i}" for i in range(1, count + 1)], "crm-created-0")
    run_now(flow)
    assert drain().done == count
    return SyncRun.objects.count()


def test_the_incremental_read_of_written_back_records_reads_none_of_them(with_write_back, crm, erp):
    written_back(with_write_back, crm, 4)
    writes = erp.count("write")

    echo = run_now(with_write_back)

    assert (echo.read_count, echo.echo_count, echo.status) == (0, 4, RunStatus.SUCCEEDED)
    assert not echo.records.exists() and erp.count("write") == writes
    assert run_now(with_write_back).echo_count == 0  # the watermark moved past the echoes


def test_a_persons_edit_right_after_the_write_back_is_read_and_synced(with_write_back, crm, erp):
    written_back(with_write_back, crm, 3)
    crm.records["AccountObj"]["a1"]["data"]["name"] = "Renamed by a person"
    crm.records["AccountObj"]["a1"]["modified_at"] = crm.tick()
    crm.records["AccountObj"]["a2"]["data"]["erp_no"] = "TYPED-BY-HAND"  # the written field, another value
    crm.records["AccountObj"]["a2"]["modified_at"] = crm.tick()

    run = run_now(with_write_back)

    assert (run.read_count, run.echo_count, run.updated_count, run.unchanged_count) == (2, 1, 1, 1)
    assert {d["FName"] for d in erp.data("BD_Customer").values()} >= {"Renamed by a person"}


def test_a_persons_save_of_the_values_the_hub_wrote_is_synced_where_the_modifier_is_reported(
    with_write_back, crm, erp
):
    written_back(with_write_back, crm, 3)
    for record_id, saved_by_hub in (("a1", False), ("a2", True), ("a3", None)):
        crm.records["AccountObj"][record_id]["modified_at"] = crm.tick()  # saved again, values as they were
        crm.records["AccountObj"][record_id]["saved_by_hub"] = saved_by_hub

    run = run_now(with_write_back)

    # a1: a person's save (read and synced, nothing to change); a2: the hub's own save, an
    # echo; a3: no modifier reported, judged by its values as before: an echo.
    assert (run.read_count, run.echo_count, run.unchanged_count) == (1, 2, 1)
    assert list(run.records.values_list("source_id", flat=True)) == ["a1"]


def push(ids, event_id):
    SyncFlow.objects.filter(slug="customers").update(enabled=True)
    body = json.dumps({"event_id": event_id, "flow": "customers", "ids": ids}).encode()
    stamp = int(time.time())
    return webhooks.accept(body, str(stamp), webhooks.sign(PUSH_SECRET, stamp, body), secrets=[PUSH_SECRET])


def test_the_push_of_a_written_back_record_starts_no_run_and_reads_nothing(with_write_back, crm, erp):
    runs_before = written_back(with_write_back, crm, 2, pushed=True)
    reads = crm.count("read_ids")

    accepted = push(["a1", "a2"], "crm-echo-1")

    assert (accepted.duplicate, accepted.runs) == (False, [])
    assert SyncRun.objects.count() == runs_before and crm.count("read_ids") == reads
    assert WebhookEvent.objects.get(event_id="crm-echo-1").runs == []


def test_a_push_of_a_persons_edit_right_after_the_echo_is_synced(with_write_back, crm, erp):
    written_back(with_write_back, crm, 2, pushed=True)
    assert push(["a1"], "crm-echo-1").runs == []
    crm.records["AccountObj"]["a1"]["data"]["name"] = "Renamed by a person"
    crm.records["AccountObj"]["a1"]["modified_at"] = crm.tick()

    accepted = push(["a1"], "crm-edit-2")

    run = SyncRun.objects.get(pk=accepted.runs[0])
    assert run.options["ids"] == ["a1"]
    run = sync.run_now(with_write_back, ids=["a1"], sleep=lambda s: None)
    assert (run.pk, run.read_count, run.updated_count) == (accepted.runs[0], 1, 1)
    assert {d["FName"] for d in erp.data("BD_Customer").values()} >= {"Renamed by a person"}


def test_the_push_of_a_write_back_is_not_expected_from_a_system_that_never_pushed(with_write_back, crm):
    written_back(with_write_back, crm, 1)  # nothing was ever pushed for AccountObj

    assert push(["a1"], "crm-first-push").runs != []  # the first push might be anyone's change


def back_flow(connectors):
    back = make_flow(
        "customers-back",
        source=connectors["erp"],
        target=connectors["crm"],
        source_object="BD_Customer",
        target_object="AccountObj",
        options=dict(NO_WAIT),
    )
    make_mapping(back, "account_no", "FNumber", position=1)
    make_mapping(back, "name", "FName", position=2)
    return back


def test_an_erp_save_by_one_flow_is_not_read_again_by_the_flow_reading_the_erp(
    customers, connectors, crm, erp
):
    back = back_flow(connectors)
    add_accounts(crm, 3)
    run_now(customers)
    run_now(back)  # the first read of what the hub created: nothing known about it yet
    crm.records["AccountObj"]["a1"]["data"]["name"] = "Renamed in the CRM"
    crm.records["AccountObj"]["a1"]["modified_at"] = crm.tick()
    assert run_now(customers).updated_count == 1
    crm_writes = crm.count("write")

    echo = run_now(back)

    assert (echo.read_count, echo.echo_count) == (0, 1) and crm.count("write") == crm_writes
    erp.records["BD_Customer"]["erp-1"]["data"]["FName"] = "Renamed again in the ERP"
    erp.records["BD_Customer"]["erp-1"]["modified_at"] = erp.tick()
    genuine = run_now(back)
    assert (genuine.read_count, genuine.updated_count) == (1, 1)
    assert crm.data("AccountObj")["a1"]["name"] == "Renamed again in the ERP"
