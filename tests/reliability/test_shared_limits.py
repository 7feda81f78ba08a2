"""Reliability 4 and 5: four queue workers sharing one run, one login and one rate limit.

4. The ERP's session, then the CRM's token, expire in the middle of a run that four
   ``qcluster`` workers share (triggered by the call log's n-th write): each expiry costs
   exactly one new login, and no record fails.
5. Four workers write to the CRM against a scaled-down limit (10 calls per 2 s per
   interface): by the sandbox's own log no window ever holds more, and the CRM never had to
   answer "too many calls".
"""

import uuid
from collections import Counter
from datetime import datetime

import pytest

from tests.reliability.support import Site, busiest_window, wait_for

pytestmark = pytest.mark.reliability

WORKERS = 4
TOKEN_PATH = "/cgi/corpAccessToken/get/V2"
LIMIT, WINDOW_SECONDS = 10, 2
FINISHED = ("succeeded", "partial", "failed")


@pytest.fixture
def site(db, sandbox):
    sandbox.set_faults("fxiaoke", rate_limit=100000, token_limit_per_minute=1000)
    seeded = sandbox.seed(size=120, seed=13)
    return Site.attached(sandbox.base_url, seeded["k3cloud"], seeded["fxiaoke"], sandbox)


def start_shared_run(procs, site, sandbox, flow, crm=None, **fields):
    """A flow set up in the processes' database, queued, and a cluster of four workers on it.

    ``crm``: fields of the CRM connector to set (its rate limit).
    """
    slug = f"{flow}-{uuid.uuid4().hex[:8]}"
    fields = {
        "batch_size": 3,
        **fields,
        "options": {"parallel_batches": WORKERS, **fields.get("options", {})},
    }
    procs.ctl(
        "setup",
        base_url=sandbox.base_url,
        erp_tenant=site.erp_tenant,
        crm_tenant=site.crm_tenant,
        flow=flow,
        slug=slug,
        fields=fields,
        crm=crm or {},
    )
    run_id = procs.ctl("enqueue", flow=slug)["run"]
    procs.start("qcluster")
    return slug, run_id


def finished_run(procs, slug):
    return wait_for(
        lambda: (run := procs.latest_run(slug)).get("status") in FINISHED and run,
        timeout=180,
        every=0.2,
        what="the shared run to finish",
    )


def test_a_session_expiring_mid_run_costs_one_login_across_four_workers(site, sandbox, processes):
    procs = processes(INTEGRATION_HUB_Q_WORKERS=WORKERS)
    sandbox.set_faults("k3cloud", latency_ms=40)
    mark = site.mark("k3cloud")
    slug, run_id = start_shared_run(procs, site, sandbox, "contacts", match_keys=["FMobile"])
    wait_for(lambda: len(site.calls("k3cloud", "BatchSave", after=mark)) >= 8, what="the 8th BatchSave")
    expired = site.mark("k3cloud")
    sandbox.expire_sessions("k3cloud")

    run = finished_run(procs, slug)

    sandbox.clear_faults("k3cloud")
    after = site.calls("k3cloud", after=expired)
    logins = [c for c in after if c["operation"] == "ValidateUser"]
    report = procs.ctl("report", flow=slug)
    contacts = site.erp_contacts()
    assert run["status"] == "succeeded" and run["failed"] == 0, procs.log_text()
    assert len(logins) == 1, Counter(c["operation"] for c in after)
    assert set(contacts) == site.crm_contacts() and max(contacts.values()) == 1
    assert (
        len({batch["claimed_by"].rsplit(":", 1)[0] for batch in report["batches"]}) >= 2
    )  # processes shared it
    assert [r["id"] for r in report["runs"]] == [run_id]


def test_a_token_expiring_mid_run_costs_one_token_request_across_four_workers(site, sandbox, processes):
    procs = processes(INTEGRATION_HUB_Q_WORKERS=WORKERS)
    sandbox.set_faults("fxiaoke", latency_ms=40)
    mark = site.mark("fxiaoke")
    slug, _run_id = start_shared_run(procs, site, sandbox, "leads_from_materials")
    wait_for(lambda: len(crm_creates(site, mark)) >= 8, what="the 8th CRM create")
    expired = site.mark("fxiaoke")
    sandbox.expire_sessions("fxiaoke")

    run = finished_run(procs, slug)

    sandbox.set_faults("fxiaoke", latency_ms=0)
    tokens = [c for c in site.calls("fxiaoke", after=expired) if c["operation"] == TOKEN_PATH]
    leads = site.records(site.crm, "LeadsObj", ["company"])
    materials = site.records(site.erp, "BD_MATERIAL", ["FNumber"])
    assert run["status"] == "succeeded" and run["failed"] == 0, procs.log_text()
    assert len(tokens) == 1
    numbers = {m["FNumber"] for m in materials.values()}
    per_material = Counter(lead["company"] for lead in leads.values() if lead.get("company") in numbers)
    assert set(per_material) == numbers and max(per_material.values()) == 1  # the seeded leads aside


def test_four_workers_never_exceed_the_crm_rate_limit(site, sandbox, processes):
    procs = processes(INTEGRATION_HUB_Q_WORKERS=WORKERS)
    sandbox.set_faults("fxiaoke", rate_limit=LIMIT, rate_window_seconds=WINDOW_SECONDS)
    mark = site.mark("fxiaoke")
    limits = {"rate_limit": LIMIT, "rate_period_seconds": WINDOW_SECONDS}
    slug, _run_id = start_shared_run(procs, site, sandbox, "leads_from_materials", crm=limits)

    run = finished_run(procs, slug)

    calls = site.calls("fxiaoke", after=mark)
    refused = [c for c in calls if c["outcome"] == "error 14001"]
    per_interface = {}
    for call in calls:
        per_interface.setdefault(call["operation"], []).append(call)
    busiest = {
        operation: busiest_window(sorted(_arrival(c) for c in group), WINDOW_SECONDS)
        for operation, group in per_interface.items()
    }
    report = procs.ctl("report", flow=slug)
    assert run["status"] == "succeeded" and run["failed"] == 0, procs.log_text()
    assert refused == [] and max(busiest.values()) <= LIMIT, busiest
    assert len([c for c in calls if c["operation"].endswith("/create")]) == run["created"] >= 30
    assert len({batch["claimed_by"].rsplit(":", 1)[0] for batch in report["batches"]}) >= 2


def crm_creates(site, after):
    return [c for c in site.calls("fxiaoke", after=after) if c["operation"].endswith("/create")]


def _arrival(call):
    """When the call reached the CRM: the log stamps its end and how long it took."""
    return datetime.fromisoformat(call["at"]).timestamp() - call["elapsed_ms"] / 1000
