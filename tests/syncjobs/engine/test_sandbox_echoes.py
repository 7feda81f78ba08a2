"""Over HTTP: the ERP numbers written back onto CRM accounts come back by push and by the read, and start nothing."""

import json
import random
import time

import pytest

from syncjobs.adapters.clients import adapter_for
from syncjobs.models import SyncRun
from syncjobs.operations import webhooks
from syncjobs.services import sync
from tests.syncjobs.engine.scenarios import Hub

SECRET = "whsec-sandbox-echo-71c4"
SIZE = 6


@pytest.fixture(autouse=True)
def fast_client_retries(settings):
    settings.INTEGRATION_HUB_RETRY_BASE_SECONDS = 0.01
    settings.INTEGRATION_HUB_RETRY_CAP_SECONDS = 0.05


@pytest.fixture
def hub(db, sandbox):
    sandbox.set_faults("fxiaoke", rate_limit=100000, token_limit_per_minute=1000)
    return Hub(sandbox, size=SIZE)


@pytest.fixture
def flow(hub):
    """Customers with the ERP number written back, after the CRM pushed its new accounts."""
    flow = hub.customers(enabled=True, options={"write_back": {"field_erpNo__c": "target_number"}})
    accounts = sorted(hub.records(hub.crm, "AccountObj", ["name"]))
    push(hub, accounts, "crm-created")
    run(flow)
    assert sync.drain_write_backs(sleep=lambda s: None).done == len(accounts)
    return flow


def run(flow, **options):
    flow.refresh_from_db()
    return sync.run_now(flow, sleep=lambda s: None, rng=random.Random(1), **options)


def push(hub, ids, event_id):
    """The event the CRM sandbox's push sends (``sandbox/fxiaoke/webhook.py``) for these accounts."""
    body = json.dumps({"event_id": event_id, "object": "AccountObj", "connector": hub.crm.slug, "ids": ids})
    stamp = int(time.time())
    signature = webhooks.sign(SECRET, stamp, body.encode())
    return webhooks.accept(body.encode(), str(stamp), signature, secrets=[SECRET])


def accounts_read(hub, mark):
    return [c for c in hub.calls("fxiaoke", after=mark) if "query" in c["operation"]]


def test_the_push_of_the_written_back_numbers_starts_no_run_and_reads_no_account(hub, flow):
    accounts = sorted(hub.records(hub.crm, "AccountObj", ["name"]))
    runs, mark = SyncRun.objects.count(), hub.mark("fxiaoke")

    accepted = push(hub, accounts, "crm-echo")

    assert accepted.runs == [] and SyncRun.objects.count() == runs
    assert accounts_read(hub, mark) == []


def test_the_incremental_read_after_the_write_backs_reads_none_of_those_accounts(hub, flow):
    erp_mark = hub.mark("k3cloud")

    again = run(flow)

    assert (again.read_count, again.echo_count) == (0, SIZE)
    assert hub.calls("k3cloud", after=erp_mark) == []
    assert run(flow).echo_count == 0  # read again in the overlap window, not counted twice


def test_a_persons_edit_right_after_the_write_back_is_pushed_and_synced(hub, flow):
    accounts = hub.records(hub.crm, "AccountObj", ["name", "field_erpNo__c"])
    edited = sorted(accounts)[0]
    assert accounts[edited]["field_erpNo__c"]  # the write-back landed
    push(hub, [edited], "crm-echo")
    crm = adapter_for(hub.crm)
    try:
        crm.update_fields("AccountObj", edited, {"name": "Renamed by a person"})
    finally:
        crm.client.close()

    accepted = push(hub, [edited], "crm-edit")

    assert len(accepted.runs) == 1
    synced = run(flow, ids=[edited])
    assert (synced.pk, synced.read_count, synced.updated_count) == (accepted.runs[0], 1, 1)
    names = {row["FName"] for row in hub.records(hub.erp, "BD_Customer", ["FName"]).values()}
    assert "Renamed by a person" in names


def test_a_persons_save_of_the_written_back_number_itself_is_read_and_synced(hub, flow):
    accounts = hub.records(hub.crm, "AccountObj", ["field_erpNo__c"])
    edited = sorted(accounts)[0]
    same = {edited: {"field_erpNo__c": accounts[edited]["field_erpNo__c"]}}  # the value the hub wrote
    hub.sandbox.simulate("fxiaoke", tenant=hub.crm_tenant["tenant"], save={"AccountObj": same})

    again = run(flow)

    # The CRM names the person as the last to save it: not the hub's echo, even with its values.
    # The other accounts were last saved by the hub's write-back, with its values: echoes.
    assert (again.read_count, again.echo_count) == (1, SIZE - 1)
    assert list(again.records.values_list("source_id", flat=True)) == [edited]


def test_the_write_back_onto_an_account_a_person_saved_last_is_still_an_echo(hub):
    flow = hub.customers(enabled=True, options={"write_back": {"field_erpNo__c": "target_number"}})
    accounts = sorted(hub.records(hub.crm, "AccountObj", ["name"]))
    remarks = {account_id: {"remark": "客户来电"} for account_id in accounts}
    hub.sandbox.simulate("fxiaoke", tenant=hub.crm_tenant["tenant"], save={"AccountObj": remarks})
    run(flow)
    assert sync.drain_write_backs(sleep=lambda s: None).done == len(accounts)

    again = run(flow)

    # The modifier moved from the person to the hub's API user: a stamp, not a change.
    assert (again.read_count, again.echo_count) == (0, SIZE)
