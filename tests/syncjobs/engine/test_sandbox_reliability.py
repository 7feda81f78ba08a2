"""End to end over HTTP: faults injected by the sandboxes converge, nothing is duplicated."""

import random
from collections import Counter

import pytest

from syncjobs.models import RecordStatus, RunStatus, SyncRecord
from syncjobs.services import sync
from tests.syncjobs.engine.scenarios import Hub

pytestmark = pytest.mark.reliability


@pytest.fixture(autouse=True)
def fast_client_retries(settings):
    settings.INTEGRATION_HUB_RETRY_BASE_SECONDS = 0.01
    settings.INTEGRATION_HUB_RETRY_CAP_SECONDS = 0.05


@pytest.fixture
def hub(db, sandbox):
    sandbox.set_faults("fxiaoke", rate_limit=100000, token_limit_per_minute=1000)
    return Hub(sandbox, size=40)


def run(flow, **options):
    flow.refresh_from_db()
    return sync.run_now(flow, sleep=lambda s: None, rng=random.Random(1), **options)


def contacts_in_erp(hub):
    rows = hub.records(hub.erp, "BD_COMMONCONTACT", ["FName", "FMobile"])
    return Counter((row["FName"], row["FMobile"]) for row in rows.values())


def test_creates_whose_answers_were_dropped_are_not_duplicated(hub, sandbox):
    flow = hub.contacts(batch_size=5, match_keys=["FMobile"])
    sandbox.set_faults("k3cloud", drop_after_commit_rate=1.0, operations=["BatchSave"], seed=5)

    first = run(flow, ids=None)
    sandbox.clear_faults("k3cloud")
    second = run(flow)

    contacts = contacts_in_erp(hub)
    assert len(contacts) == first.read_count >= 50 and max(contacts.values()) == 1
    settled = SyncRecord.objects.filter(run=first, response_excerpt={"settled": True}).count()
    assert settled == first.read_count and first.failed_count == 0
    assert second.read_count == 0


def test_thirty_percent_faults_converge_to_everything_synced_without_duplicates(hub, sandbox):
    flow = hub.contacts(batch_size=5, match_keys=["FMobile"], options={"max_attempts": 8})
    mark = max((c["id"] for c in sandbox.calls("k3cloud")), default=0)
    sandbox.set_faults(
        "k3cloud",
        error_rate=0.1,
        reset_rate=0.1,
        drop_after_commit_rate=0.1,
        operations=["BatchSave", "ExecuteBillQuery"],
        seed=3,
    )

    result = run(flow)

    sandbox.clear_faults("k3cloud")
    contacts = contacts_in_erp(hub)
    assert result.status == RunStatus.SUCCEEDED, result.message
    assert len(contacts) == result.read_count == result.created_count and max(contacts.values()) == 1
    attempts = SyncRecord.objects.filter(run=result).values_list("attempts", flat=True)
    # Bounded. Whether a fault costs a record an attempt of its own depends on where the seeded
    # draws land (client retries and settling by lookup absorb many), so "faults were met" is
    # judged from the sandbox's log below, not from the attempts.
    assert max(attempts) <= 8
    # Calls refused before the sandbox knew the tenant are logged without one. The sandbox
    # seeds its draws with the switches' version, which every earlier test's clearing of the
    # switches moves on: which kinds land in these ~30 calls depends on how many sandbox tests
    # ran before (any one kind is missing in about one session in twenty-five). So: faults of
    # at least two kinds, and several of them.
    outcomes = Counter(c["outcome"].rsplit("_", 1)[-1] for c in sandbox.calls("k3cloud", after_id=mark))
    kinds = [outcomes[kind] for kind in ("dropped", "500", "reset")]
    assert sum(1 for n in kinds if n) >= 2 and sum(kinds) >= 3, outcomes


def test_customers_with_write_back_and_products_run_ten_times_write_nothing_after_the_first(hub):
    customers = hub.customers(options={"write_back": {"account_no": "target_number"}})
    products = hub.products()
    writes = {"k3cloud": ("BatchSave", "Save", "Submit", "Audit", "UnAudit"), "fxiaoke": ("create", "update")}
    counts = []
    for _round in range(10):
        marks = {system: hub.mark(system) for system in writes}
        run(customers)
        run(products)
        sync.drain_write_backs()
        counts.append(
            {
                system: sum(
                    1
                    for call in hub.calls(system, after=marks[system])
                    if call["operation"].rsplit("/", 1)[-1] in ops
                )
                for system, ops in writes.items()
            }
        )

    assert counts[0]["k3cloud"] > 0 and counts[0]["fxiaoke"] > 0
    assert counts[1:] == [{"k3cloud": 0, "fxiaoke": 0}] * 9
    accounts = hub.records(hub.crm, "AccountObj", ["account_no"])
    numbers = {row["FNumber"] for row in hub.records(hub.erp, "BD_Customer", ["FNumber"]).values()}
    assert {row["account_no"] for row in accounts.values()} <= numbers


def test_an_order_before_its_customer_syncs_once_the_customer_can(hub, sandbox):
    customers, products, orders = hub.customers(), hub.products(), hub.orders()
    run(products)
    accounts = hub.records(hub.crm, "AccountObj", ["name"])
    order_rows = hub.records(hub.crm, "SalesOrderObj", ["name", "account_id"])
    order_id, order = next(iter(sorted(order_rows.items())))
    from syncjobs.adapters.clients import adapter_for

    crm = adapter_for(hub.crm)
    original_tax = hub.records(hub.crm, "AccountObj", ["field_x2Tax__c"])[order["account_id"]][
        "field_x2Tax__c"
    ]
    crm.update_fields("AccountObj", order["account_id"], {"field_x2Tax__c": ""})  # the customer cannot sync

    first = run(orders, ids=[order_id])

    waiting = SyncRecord.objects.get(run=first)
    assert waiting.status == RecordStatus.WAITING and order["account_id"] in waiting.waiting_for
    assert "FSOCIALCRECODE" in waiting.error_message  # the customer's own failure, named

    crm.update_fields("AccountObj", order["account_id"], {"field_x2Tax__c": original_tax})
    crm.client.close()
    run(customers, ids=[order["account_id"]])  # the customer lands; its waiting order is released

    latest = SyncRecord.objects.filter(flow=orders, source_id=order_id).latest("id")
    assert latest.status == RecordStatus.SUCCEEDED and latest.action == "create"
    erp_orders = hub.records(hub.erp, "SAL_SaleOrder", ["FBillNo", "FCustId.FNumber"])
    assert [row["FBillNo"] for row in erp_orders.values()] == [order["name"]]
    assert accounts


def test_a_dry_run_changes_nothing_in_either_sandbox_and_predicts_the_next_run(hub, sandbox):
    flow = hub.customers()
    marks = {system: hub.mark(system) for system in ("k3cloud", "fxiaoke")}
    before = hub.records(hub.erp, "BD_Customer", ["FName", "FDocumentStatus"])

    report = sync.dry_run(flow, limit=100)

    writes = [
        call
        for system in marks
        for call in hub.calls(system, after=marks[system])
        if call["operation"].rsplit("/", 1)[-1]
        in ("BatchSave", "Save", "Submit", "Audit", "create", "update")
    ]
    assert writes == [] and hub.records(hub.erp, "BD_Customer", ["FName", "FDocumentStatus"]) == before
    result = run(flow)
    counts = report.counts
    assert (counts["create"], counts["update"], counts["unchanged"], counts["failed"]) == (
        result.created_count,
        result.updated_count,
        result.unchanged_count,
        result.failed_count,
    )
    assert report.read == result.read_count == 40
