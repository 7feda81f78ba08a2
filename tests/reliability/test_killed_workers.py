"""Reliability 1: a queue worker SIGKILLed in the middle of a run, on the ORM broker, then Redis.

The kill is triggered by the sandbox's call log (the n-th BatchSave of the run), never by a
sleep. Twice the worker process running the task is killed (its cluster starts a new one);
the third time the whole ``qcluster`` is killed and started again. Each time the reconciler
(scheduled every minute in production, called here) finds the stalled run and queues it
again. Afterwards the ERP holds every CRM contact exactly once and the run has succeeded.
"""

import os
import signal
import uuid

import pytest

from syncjobs.engine.runs import worker_is_dead
from tests.reliability.support import Site, wait_for
from tests.syncjobs.engine.scenarios import FAST

pytestmark = pytest.mark.reliability

LATENCY_MS = 60  # every ERP call takes this long, so the run is still going when a strike comes
STRIKES = (3, 8, 13)  # BatchSaves of the run seen by the ERP when the worker is killed


@pytest.fixture
def site(db, sandbox):
    sandbox.set_faults("fxiaoke", rate_limit=100000, token_limit_per_minute=1000)
    seeded = sandbox.seed(size=60, seed=11)
    return Site.attached(sandbox.base_url, seeded["k3cloud"], seeded["fxiaoke"], sandbox)


def worker_pid(name):
    return int(name.split(":")[1])


@pytest.mark.parametrize("broker", ["orm", "redis"])
def test_a_worker_killed_mid_run_three_times_leaves_nothing_missing_or_twice(
    broker, site, sandbox, processes
):
    procs = processes(broker, INTEGRATION_HUB_Q_WORKERS=1)
    slug = f"contacts-{uuid.uuid4().hex[:8]}"
    fields = {"batch_size": 3, "match_keys": ["FMobile"], "options": {**FAST, "lease_seconds": 30}}
    procs.ctl(
        "setup",
        base_url=sandbox.base_url,
        erp_tenant=site.erp_tenant,
        crm_tenant=site.crm_tenant,
        flow="contacts",
        slug=slug,
        fields=fields,
    )
    sandbox.set_faults("k3cloud", latency_ms=LATENCY_MS)
    mark = site.mark("k3cloud")
    queued = procs.ctl("enqueue", flow=slug)["run"]
    cluster = procs.start("qcluster")

    for strike in STRIKES:
        wait_for(
            lambda s=strike: len(site.calls("k3cloud", "BatchSave", after=mark)) >= s,
            what=f"BatchSave {strike}",
        )
        running = procs.latest_run(slug)
        assert (running["id"], running["status"]) == (queued, "running"), running
        if strike == STRIKES[-1]:
            procs.kill_group(cluster)  # the whole cluster dies; a new one is started
            cluster = procs.start("qcluster")
        else:
            os.kill(worker_pid(running["worker"]), signal.SIGKILL)
        wait_for(lambda w=running["worker"]: worker_is_dead(w), what="the killed worker to be gone")
        assert procs.ctl("reconcile")["resumed"] == [queued]

    finished = wait_for(
        lambda: (r := procs.latest_run(slug))["status"] in ("succeeded", "partial", "failed") and r,
        timeout=180,
        every=0.5,
        what="the run to finish",
    )
    sandbox.clear_faults("k3cloud")
    report = procs.ctl("report", flow=slug)
    expected = site.crm_contacts()
    contacts = site.erp_contacts()
    assert finished["status"] == "succeeded" and finished["failed"] == 0, procs.log_text()
    assert set(contacts) == expected and max(contacts.values()) == 1  # 0 missing, 0 duplicated
    assert [run["id"] for run in report["runs"]] == [queued] and report["claims_left"] == 0
    assert report["linked"] == len(expected) and finished["read"] == len(expected)
