"""Four OS processes share one counter, one lock, one rate bucket and one circuit breaker.

Each backend gets one run of four worker processes (``worker.py``) that go through every
scenario in turn; the tests below check what the workers observed. The database run uses a
real database the workers share: a fresh, fully migrated SQLite file or, when the suite
itself runs on PostgreSQL (``DATABASE_URL``), the PostgreSQL test database. Workers start
together on a signal so they really contend.
"""

import json
import shutil
import subprocess
import sys
import time
import uuid

import pytest
import redis
from django.db import connection

from tests.support.sandbox import PROJECT_DIR, server_environment
from tests.syncjobs.engine.processes import postgres_url

pytestmark = pytest.mark.engine

WORKERS = 4
ROUNDS = 25
LIMIT, PERIOD, PERMITS = 10, 0.5, 6
RESET_TIMEOUT, PROBE_SECONDS, PROBES = 0.4, 0.1, 3


def scenarios():
    """Parameters of each worker task, under keys no other run uses."""
    name = uuid.uuid4().hex
    return {
        "count_and_lock": {
            "rounds": ROUNDS,
            "counter": f"{name}:counter",
            "lock": f"{name}:lock",
            "guarded": f"{name}:guarded",
        },
        "take_permits": {"bucket": name, "limit": LIMIT, "period": PERIOD, "permits": PERMITS},
        "probe_breaker": {
            "breaker": f"k3cloud:{name}",
            "reset_timeout": RESET_TIMEOUT,
            "probe_seconds": PROBE_SECONDS,
            "probe_count": f"{name}:probes",
            "probes": PROBES,
        },
    }


class Run:
    """What the workers of one backend observed, and the final shared values they read."""

    def __init__(self, outputs):
        self.outputs = outputs
        self.final_values = [output["final_values"] for output in outputs]

    def observed(self, task, item):
        return sorted(entry for output in self.outputs for entry in output[task][item])


def run_spec(backend, **extra):
    tasks = scenarios()
    final_keys = [tasks["count_and_lock"]["counter"], tasks["count_and_lock"]["guarded"]]
    return {"backend": backend, "tasks": tasks, "final_keys": final_keys, "workers": WORKERS, **extra}


@pytest.fixture(scope="module")
def database_run(request, tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("database-run")
    return Run(run_workers(data_dir, database_env(request, data_dir), run_spec("database")))


@pytest.fixture(scope="module")
def redis_run(tmp_path_factory, redis_url):
    data_dir = tmp_path_factory.mktemp("redis-run")
    prefix = f"test:{uuid.uuid4().hex}:"
    spec = run_spec("redis", redis_url=redis_url, prefix=prefix)
    yield Run(run_workers(data_dir, server_environment(data_dir), spec))
    client = redis.Redis.from_url(redis_url)
    client.delete(*client.scan_iter(match=f"{prefix}*"))
    client.close()


def database_env(request, data_dir):
    """Environment for workers sharing one real database through the database backend."""
    extra = {"INTEGRATION_HUB_CONNECTOR_STATE_BACKEND": "database"}
    if connection.vendor == "postgresql":
        request.getfixturevalue("django_db_setup")
        # The test database pytest-django created (the tests carry django_db for that).
        assert connection.settings_dict["NAME"].startswith("test_"), "refusing a non-test database"
        db = connection.settings_dict
        extra["DATABASE_URL"] = postgres_url(db, db["NAME"])
        return server_environment(data_dir, extra)
    shutil.copyfile(request.getfixturevalue("migrated_hub"), data_dir / "hub.sqlite3")
    return server_environment(data_dir, extra)


def run_workers(tmp_path, env, spec, timeout=90):
    """Start WORKERS processes with ``spec``, release them together, return their outputs."""
    go = tmp_path / "go"
    workers = []
    for number in range(WORKERS):
        files = {name: tmp_path / f"worker{number}.{name}" for name in ("ready", "done", "out", "log")}
        own = {**spec, **{name: str(files[name]) for name in ("ready", "done", "out")}, "go": str(go)}
        log = open(files["log"], "wb")
        command = [sys.executable, "-m", "tests.connectors.state.worker", json.dumps(own)]
        process = subprocess.Popen(command, cwd=PROJECT_DIR, env=env, stdout=log, stderr=subprocess.STDOUT)
        workers.append((process, files, log))
    try:
        wait_until(lambda: all(files["ready"].exists() for _, files, _ in workers), workers, timeout)
        go.touch()
        wait_until(lambda: all(process.poll() == 0 for process, _, _ in workers), workers, timeout)
    finally:
        for process, _, log in workers:
            if process.poll() is None:
                process.kill()
            log.close()
    return [json.loads(files["out"].read_text()) for _, files, _ in workers]


def wait_until(condition, workers, timeout):
    """Wait for ``condition``; fail at once with its log when a worker fails."""
    deadline = time.monotonic() + timeout
    while not condition():
        for process, files, _ in workers:
            if process.poll() not in (None, 0):
                pytest.fail(f"worker failed:\n{files['log'].read_text()}")
        if time.monotonic() > deadline:
            pytest.fail("workers did not finish in time")
        time.sleep(0.02)


# --- what every backend must show ---------------------------------------------------------
def check_counter_and_lock_lose_no_update(run):
    # The guarded value is read, then written back plus one, under the lock: any overlap
    # of two holders would lose an increment.
    assert run.final_values == [[WORKERS * ROUNDS, WORKERS * ROUNDS]] * WORKERS


def check_lock_never_held_twice(run):
    spans = run.observed("count_and_lock", "spans")
    assert len(spans) == WORKERS * ROUNDS
    overlaps = [(a, b) for a, b in zip(spans, spans[1:], strict=False) if b[0] < a[1]]
    assert overlaps == []


def check_rate_window_never_exceeded(run):
    """No ``LIMIT + 1`` grants fit in one window of ``PERIOD`` seconds.

    Each grant happened somewhere in its [before, after] interval. Any ``LIMIT + 1`` grants
    must span at least ``PERIOD``, so even the widest reading of their intervals must too.
    """
    grants = run.observed("take_permits", "grants")
    assert len(grants) == WORKERS * PERMITS
    crowded = []
    for first in range(len(grants) - LIMIT):
        group = grants[first : first + LIMIT + 1]
        spread = max(after for _, after in group) - min(before for before, _ in group)
        if spread < PERIOD:
            crowded.append((first, spread))
    assert crowded == []


def check_one_probe_per_reset_timeout(run):
    """Probes never overlap, and each failed probe keeps the breaker open a full timeout."""
    probes = run.observed("probe_breaker", "probes")
    assert len(probes) >= PROBES, probes  # each failed probe re-opened it, then one more came
    gaps = [later[0] - earlier[1] for earlier, later in zip(probes, probes[1:], strict=False)]
    assert min(gaps) >= RESET_TIMEOUT, gaps


# --- database backend (SQLite file, or PostgreSQL when the suite runs on it) ---------------
@pytest.mark.django_db
def test_database_counter_and_lock_lose_no_update_across_processes(database_run):
    check_counter_and_lock_lose_no_update(database_run)


@pytest.mark.django_db
def test_database_lock_is_never_held_by_two_processes(database_run):
    check_lock_never_held_twice(database_run)


@pytest.mark.django_db
def test_database_rate_limit_holds_in_every_window_across_processes(database_run):
    check_rate_window_never_exceeded(database_run)


@pytest.mark.django_db
def test_database_breaker_lets_one_probe_through_per_reset_timeout(database_run):
    check_one_probe_per_reset_timeout(database_run)


# --- Redis backend ---------------------------------------------------------------------------
@pytest.mark.broker
def test_redis_counter_and_lock_lose_no_update_across_processes(redis_run):
    check_counter_and_lock_lose_no_update(redis_run)


@pytest.mark.broker
def test_redis_lock_is_never_held_by_two_processes(redis_run):
    check_lock_never_held_twice(redis_run)


@pytest.mark.broker
def test_redis_rate_limit_holds_in_every_window_across_processes(redis_run):
    check_rate_window_never_exceeded(redis_run)


@pytest.mark.broker
def test_redis_breaker_lets_one_probe_through_per_reset_timeout(redis_run):
    check_one_probe_per_reset_timeout(redis_run)
