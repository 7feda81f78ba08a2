"""Reliability 2 and 3: calls failing at random, and creates whose answers are lost.

2. About 30% of the calls to both systems fail (HTTP 500, gateway timeouts, reset
   connections), drawn by the sandboxes from a fixed seed: every record still ends synced,
   none twice, and no record spends more than the flow's attempts.
3. The ERP saves a create but the answer never arrives, 50 times: each is settled by
   looking the record up, none is created twice.
"""

import random
from collections import Counter

import pytest

from syncjobs.models import RunStatus, SyncRecord
from syncjobs.services import sync
from tests.reliability.support import Site
from tests.syncjobs.engine.scenarios import FAST

pytestmark = pytest.mark.reliability

FAULTS = {"error_rate": 0.11, "timeout_rate": 0.11, "reset_rate": 0.11, "hold_seconds": 0.2}
FAILED_OUTCOMES = ("http_500", "timeout", "reset")
MAX_ATTEMPTS = 8


@pytest.fixture
def site(db, sandbox):
    sandbox.set_faults("fxiaoke", rate_limit=100000, token_limit_per_minute=1000)
    return Site(sandbox, size=40, seed=23)


def run(flow):
    flow.refresh_from_db()
    return sync.run_now(flow, sleep=lambda seconds: None, rng=random.Random(3))


def last_call_id(sandbox):
    return max((calls[-1]["id"] for s in ("k3cloud", "fxiaoke") if (calls := sandbox.calls(s))), default=0)


def test_thirty_percent_of_calls_failing_still_syncs_every_record_once(site, sandbox, settings):
    # Reads and logins are retried by the clients; enough tries that a read outlives the faults.
    settings.INTEGRATION_HUB_HTTP_MAX_RETRIES = 9
    flow = site.customers(options={**FAST, "max_attempts": MAX_ATTEMPTS})
    mark = last_call_id(sandbox)
    for system in ("k3cloud", "fxiaoke"):
        sandbox.set_faults(system, seed=2, **FAULTS)

    result = run(flow)

    for system in ("k3cloud", "fxiaoke"):
        sandbox.clear_faults(system)
    calls = [c for system in ("k3cloud", "fxiaoke") for c in sandbox.calls(system, after_id=mark)]
    failed = [c for c in calls if c["outcome"] in FAILED_OUTCOMES]
    assert len(failed) / len(calls) >= 0.25, Counter(c["outcome"] for c in calls)
    assert {c["outcome"] for c in failed} == set(FAILED_OUTCOMES)
    assert result.status == RunStatus.SUCCEEDED, result.message
    accounts = site.records(site.crm, "AccountObj", ["field_x2Tax__c"])
    customers = site.records(site.erp, "BD_Customer", ["FSOCIALCRECODE", "FDocumentStatus"]).values()
    per_tax_code = Counter(c["FSOCIALCRECODE"] for c in customers)
    assert set(per_tax_code) == {a["field_x2Tax__c"] for a in accounts.values()}  # every record synced
    assert max(per_tax_code.values()) == 1  # none twice
    assert {c["FDocumentStatus"] for c in customers} == {"C"}  # submitted and audited, all of them
    attempts = list(SyncRecord.objects.filter(run=result).values_list("attempts", flat=True))
    assert len(attempts) == result.read_count == len(accounts)
    assert max(attempts) <= MAX_ATTEMPTS and sum(attempts) > len(attempts)


def test_fifty_creates_saved_but_unanswered_are_never_duplicated(site, sandbox):
    flow = site.contacts(batch_size=1, match_keys=["FMobile"])
    expected = site.crm_contacts()
    assert len(expected) >= 50
    mark = site.mark("k3cloud")
    sandbox.set_faults("k3cloud", drop_after_commit_rate=1.0, operations=["BatchSave"], seed=5)
    ids = sorted(site.records(site.crm, "ContactObj", ["name"]))[:50]

    lost = run_ids(flow, ids)

    sandbox.clear_faults("k3cloud")
    dropped = [c for c in site.calls("k3cloud", "BatchSave", after=mark) if c["outcome"].endswith("_dropped")]
    assert len(dropped) == 50  # fifty creates committed by the ERP, fifty answers lost
    assert lost.status == RunStatus.SUCCEEDED and lost.failed_count == 0
    settled = SyncRecord.objects.filter(run=lost, response_excerpt={"settled": True}).count()
    assert settled == 50
    rest = run(flow)  # the other contacts, answered normally; the fifty are not sent again
    contacts = site.erp_contacts()
    assert set(contacts) == expected and max(contacts.values()) == 1
    assert rest.read_count == len(expected) - 50


def run_ids(flow, ids):
    flow.refresh_from_db()
    return sync.run_now(flow, ids=ids, sleep=lambda seconds: None, rng=random.Random(3))
