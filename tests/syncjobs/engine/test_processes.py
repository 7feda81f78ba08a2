"""Real processes: a ``sync`` SIGKILLed mid-run and restarted, four workers sharing one run, a ``qcluster``."""

import functools
import signal
import time
from collections import Counter

import pytest

from tests.syncjobs.engine.processes import hub_processes
from tests.syncjobs.engine.scenarios import FAST, Hub

# Each write call takes this long, so the test can watch the call log and strike mid-run.
LATENCY_MS = 120


@pytest.fixture
def hub(db, sandbox):
    sandbox.set_faults("fxiaoke", rate_limit=100000, token_limit_per_minute=1000)
    return Hub(sandbox, size=30)


@pytest.fixture
def procs(request, tmp_path, migrated_hub, hub, sandbox):
    procs = hub_processes(request, tmp_path, migrated_hub)
    fields = {"batch_size": 4, "match_keys": ["FMobile"], "options": {**FAST, "lease_seconds": 30}}
    procs.ctl(
        "setup",
        base_url=sandbox.base_url,
        erp_tenant=hub.erp_tenant,
        crm_tenant=hub.crm_tenant,
        flow="contacts",
        fields=fields,
    )
    return procs


def wait_for(condition, timeout=60, every=0.02):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(every)
    raise AssertionError("timed out")


def saves_reached(hub, mark, count):
    """Whether the sandbox's call log shows ``count`` BatchSaves since ``mark``."""
    return len(hub.calls("k3cloud", "BatchSave", after=mark)) >= count


def contacts_in_erp(hub):
    rows = hub.records(hub.erp, "BD_COMMONCONTACT", ["FName", "FMobile"]).values()
    return Counter((row["FName"], row["FMobile"]) for row in rows)


def crm_contacts(hub):
    return {
        (row["name"], row["mobile1"])
        for row in hub.records(hub.crm, "ContactObj", ["name", "mobile1"]).values()
    }


@pytest.mark.reliability
def test_a_sync_process_killed_mid_run_twice_and_restarted_loses_and_duplicates_nothing(hub, procs, sandbox):
    sandbox.set_faults("k3cloud", latency_ms=LATENCY_MS)
    for strike in (3, 4):  # the first process dies at its 3rd BatchSave, the restarted one at its 4th
        mark = hub.mark("k3cloud")
        process = procs.start("sync", "contacts")
        wait_for(functools.partial(saves_reached, hub, mark, strike))
        process.send_signal(signal.SIGKILL)
        process.wait(10)
        running = procs.ctl("report", flow="contacts")["runs"]
        assert len(running) == 1 and running[0]["status"] == "running"
    sandbox.clear_faults("k3cloud")

    restarted = procs.start("sync", "contacts")

    assert restarted.wait(120) == 0
    report = procs.ctl("report", flow="contacts")
    (run,) = report["runs"]
    expected = crm_contacts(hub)
    assert run["status"] == "succeeded" and run["read"] == len(expected) and run["failed"] == 0, report
    assert run["created"] == len(expected)
    contacts = contacts_in_erp(hub)
    assert set(contacts) == expected and max(contacts.values()) == 1  # 0 missing, 0 duplicated
    assert report["claims_left"] == 0 and report["linked"] == len(expected)
    # Every batch done once: a batch in flight at a kill was handed to the restarted process.
    assert {batch["status"] for batch in report["batches"]} == {"done"}
    assert max(batch["claims"] for batch in report["batches"]) <= 3


@pytest.mark.engine
def test_four_worker_processes_share_one_run_and_process_each_batch_once(hub, procs, sandbox, tmp_path):
    led = procs.ctl("lead", flow="contacts")
    assert led["batches"] >= 8
    sandbox.set_faults("k3cloud", latency_ms=30)
    start = tmp_path / "start"
    workers = []
    for n in range(4):
        spec = f'{{"run": {led["run"]}, "start": "{start}", "ready": "{tmp_path / f"ready{n}"}"}}'
        workers.append(procs.start("work", spec, module="tests.syncjobs.engine.hubctl"))
    wait_for(lambda: all((tmp_path / f"ready{n}").exists() for n in range(4)))
    start.touch()

    assert [worker.wait(120) for worker in workers] == [0, 0, 0, 0]
    sandbox.clear_faults("k3cloud")
    report = procs.ctl("report", flow="contacts")
    (run,) = report["runs"]
    assert run["status"] == "succeeded" and run["created"] == run["read"] == len(crm_contacts(hub))
    assert {batch["claims"] for batch in report["batches"]} == {1}
    assert len({batch["claimed_by"] for batch in report["batches"]}) >= 2
    contacts = contacts_in_erp(hub)
    assert len(contacts) == run["read"] and max(contacts.values()) == 1


@pytest.mark.broker
def test_a_queued_run_is_executed_by_a_qcluster_worker(hub, procs):
    queued = procs.ctl("enqueue", flow="contacts")
    cluster = procs.start("qcluster")
    try:
        finished = wait_for(
            lambda: [r for r in procs.ctl("report", flow="contacts")["runs"] if r["status"] == "succeeded"],
            timeout=90,
            every=0.5,
        )
    finally:
        cluster.send_signal(signal.SIGTERM)
        cluster.wait(30)
    assert finished[0]["id"] == queued["run"] and finished[0]["created"] == len(crm_contacts(hub))


@pytest.mark.engine
def test_a_sync_process_shares_its_run_with_helper_threads_each_batch_once(hub, procs, sandbox):
    sandbox.set_faults("k3cloud", latency_ms=30)  # batches overlap: one thread waits, another works
    process = procs.start("sync", "contacts", "--threads", "4")

    assert process.wait(120) == 0
    sandbox.clear_faults("k3cloud")
    report = procs.ctl("report", flow="contacts")
    (run,) = report["runs"]
    assert run["status"] == "succeeded" and run["created"] == run["read"] == len(crm_contacts(hub))
    assert {batch["claims"] for batch in report["batches"]} == {1}
    assert len({batch["claimed_by"] for batch in report["batches"]}) >= 2  # the threads shared them
    contacts = contacts_in_erp(hub)
    assert len(contacts) == run["read"] and max(contacts.values()) == 1
    assert report["claims_left"] == 0 and report["linked"] == run["read"]
