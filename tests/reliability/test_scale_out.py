"""The scale-out path at small scale: four ``qcluster`` processes (one worker each, as four
machines would run) on the Redis broker share one flow's batches and its write-backs.

On the suite's database (PostgreSQL in CI's second pass), with the CRM's limit scaled down
to 10 calls per 2 s: no batch is processed twice, the ERP holds every customer once, every
CRM account gets its ERP number back, and by the sandbox's log no window of the limit ever
held more write-backs than allowed, nor did the CRM refuse one.
"""

import uuid
from collections import Counter
from datetime import datetime

import pytest

from tests.reliability.support import Site, busiest_window, wait_for

pytestmark = pytest.mark.reliability

WORKERS, LIMIT, WINDOW_SECONDS = 4, 10, 2
WRITE_BACK = {"field_erpNo__c": "target_number"}


@pytest.fixture
def site(db, sandbox):
    sandbox.set_faults("fxiaoke", rate_limit=100000, token_limit_per_minute=1000)
    seeded = sandbox.seed(size=40, seed=41)
    return Site.attached(sandbox.base_url, seeded["k3cloud"], seeded["fxiaoke"], sandbox)


def arrival(call):
    return datetime.fromisoformat(call["at"]).timestamp() - call["elapsed_ms"] / 1000


def test_four_qclusters_share_one_run_and_its_write_backs_under_one_limit(site, sandbox, processes):
    procs = processes("redis", INTEGRATION_HUB_Q_WORKERS=1)
    slug = f"customers-{uuid.uuid4().hex[:8]}"
    procs.ctl(
        "setup",
        base_url=sandbox.base_url,
        erp_tenant=site.erp_tenant,
        crm_tenant=site.crm_tenant,
        flow="customers",
        slug=slug,
        fields={"batch_size": 3, "options": {"parallel_batches": WORKERS, "write_back": WRITE_BACK}},
        crm={"rate_limit": LIMIT, "rate_period_seconds": WINDOW_SECONDS},
    )
    sandbox.set_faults("fxiaoke", rate_limit=LIMIT, rate_window_seconds=WINDOW_SECONDS)
    sandbox.set_faults("k3cloud", latency_ms=40)
    mark = site.mark("fxiaoke")
    run_id = procs.ctl("enqueue", flow=slug)["run"]
    for _cluster in range(WORKERS):
        procs.start("qcluster")

    run = wait_for(
        lambda: (r := procs.latest_run(slug)).get("status") in ("succeeded", "partial", "failed") and r,
        timeout=180,
        every=0.2,
        what="the run",
    )
    procs.ctl("drains", count=WORKERS)
    wait_for(lambda: set(procs.write_backs()) == {"done"}, timeout=180, every=0.5, what="every write-back")

    sandbox.clear_faults("k3cloud")
    report = procs.ctl("report", flow=slug)
    accounts = site.records(site.crm, "AccountObj", ["field_x2Tax__c", "field_erpNo__c"])
    customers = site.records(site.erp, "BD_Customer", ["FNumber", "FSOCIALCRECODE"]).values()
    per_tax_code = Counter(c["FSOCIALCRECODE"] for c in customers)
    number_of = {c["FSOCIALCRECODE"]: c["FNumber"] for c in customers}
    updates = [c for c in site.calls("fxiaoke", after=mark) if c["operation"].endswith("/update")]
    assert run["id"] == run_id and run["status"] == "succeeded" and run["failed"] == 0, procs.log_text()
    assert {batch["claims"] for batch in report["batches"]} == {1}  # no batch processed twice
    assert len({":".join(b["claimed_by"].split(":")[:2]) for b in report["batches"]}) >= 2  # shared
    assert (
        set(per_tax_code) == {a["field_x2Tax__c"] for a in accounts.values()}
        and max(per_tax_code.values()) == 1
    )
    assert all(a["field_erpNo__c"] == number_of[a["field_x2Tax__c"]] for a in accounts.values())
    assert len(updates) == procs.write_backs()["done"] == len(accounts)
    assert busiest_window(sorted(arrival(c) for c in updates), WINDOW_SECONDS) <= LIMIT
    assert not [c for c in site.calls("fxiaoke", after=mark) if c["outcome"] == "error 14001"]
