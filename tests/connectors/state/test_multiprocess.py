"""Four OS processes share one counter, one lock and one rate bucket, on each backend.

The database runs use a real database the workers share: a fresh SQLite file migrated for
the test or, when the suite itself runs on PostgreSQL (``DATABASE_URL``), the PostgreSQL
test database. Workers start together on a signal so they really contend.
"""

import json
import subprocess
import sys
import time
import uuid
from urllib.parse import quote

import pytest
from django.db import connection

from tests.support.sandbox import PROJECT_DIR, server_environment

pytestmark = pytest.mark.engine

WORKERS = 4


@pytest.fixture
def database_env(tmp_path):
    """Environment for workers sharing one real database through the database backend."""
    extra = {"INTEGRATION_HUB_CONNECTOR_STATE_BACKEND": "database"}
    if connection.vendor == "postgresql":
        # The test database pytest-django created (the tests carry django_db for that).
        assert connection.settings_dict["NAME"].startswith("test_"), "refusing a non-test database"
        extra["DATABASE_URL"] = postgres_url(connection.settings_dict)
        return server_environment(tmp_path, extra)
    env = server_environment(tmp_path, extra)
    migrate = [sys.executable, "manage.py", "migrate", "connectors", "--verbosity", "0"]
    subprocess.run(migrate, cwd=PROJECT_DIR, env=env, check=True, timeout=120)
    return env


@pytest.fixture
def redis_env(tmp_path, redis_url):
    return server_environment(tmp_path)


def postgres_url(db):
    credentials = quote(db["USER"] or "", safe="")
    if db["PASSWORD"]:
        credentials += ":" + quote(db["PASSWORD"], safe="")
    host = db["HOST"] or "127.0.0.1"
    return f"postgres://{credentials}@{host}:{db['PORT'] or 5432}/{db['NAME']}"


def run_workers(tmp_path, env, spec, timeout=90):
    """Start WORKERS processes with ``spec``, release them together, return their outputs."""
    go = tmp_path / "go"
    workers = []
    for number in range(WORKERS):
        files = {name: tmp_path / f"worker{number}.{name}" for name in ("ready", "out", "log")}
        own = {**spec, "ready": str(files["ready"]), "out": str(files["out"]), "go": str(go)}
        log = open(files["log"], "wb")
        command = [sys.executable, "-m", "tests.connectors.state.worker", json.dumps(own)]
        process = subprocess.Popen(command, cwd=PROJECT_DIR, env=env, stdout=log, stderr=subprocess.STDOUT)
        workers.append((process, files, log))
    try:
        wait_until(lambda: all(files["ready"].exists() for _, files, _ in workers), workers, timeout)
        go.touch()
        for process, files, _ in workers:
            assert process.wait(timeout=timeout) == 0, files["log"].read_text()
    finally:
        for process, _, log in workers:
            if process.poll() is None:
                process.kill()
            log.close()
    return [json.loads(files["out"].read_text()) for _, files, _ in workers]


def wait_until(condition, workers, timeout):
    deadline = time.monotonic() + timeout
    while not condition():
        for process, files, _ in workers:
            if process.poll() is not None:
                pytest.fail(f"worker exited early:\n{files['log'].read_text()}")
        if time.monotonic() > deadline:
            pytest.fail("workers did not get ready in time")
        time.sleep(0.02)


def assert_one_holder_at_a_time(outputs):
    spans = sorted(span for output in outputs for span in output["spans"])
    overlaps = [(a, b) for a, b in zip(spans, spans[1:], strict=False) if b[0] < a[1]]
    assert overlaps == []


def assert_window_never_exceeded(outputs, limit, period):
    """No ``limit + 1`` grants fit in one window of ``period`` seconds.

    Each grant happened somewhere in its [before, after] interval. Any ``limit + 1`` grants
    must span at least ``period``, so even the widest reading of their intervals must too.
    """
    grants = sorted(grant for output in outputs for grant in output["grants"])
    crowded = []
    for first in range(len(grants) - limit):
        group = grants[first : first + limit + 1]
        spread = max(after for _, after in group) - min(before for before, _ in group)
        if spread < period:
            crowded.append((first, spread))
    assert crowded == []


def count_and_lock_spec(**extra):
    name = uuid.uuid4().hex
    return {
        "task": "count_and_lock",
        "rounds": 25,
        "counter": f"{name}:counter",
        "lock": f"{name}:lock",
        "guarded": f"{name}:guarded",
        **extra,
    }


def take_permits_spec(**extra):
    return {
        "task": "take_permits",
        "bucket": uuid.uuid4().hex,
        "limit": 10,
        "period": 0.5,
        "permits": 6,
        **extra,
    }


def read_value(env, key):
    """Read one shared value in a fresh process, as any other worker would see it."""
    code = (
        "import django, json, sys; django.setup(); from connectors.state import get_state; "
        f"print(json.dumps(get_state().get({key!r})))"
    )
    env = {**env, "DJANGO_SETTINGS_MODULE": "integration_hub.settings"}
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=PROJECT_DIR, env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


@pytest.mark.django_db
def test_database_counter_and_lock_lose_no_update_across_processes(tmp_path, database_env):
    spec = count_and_lock_spec(backend="database")
    outputs = run_workers(tmp_path, database_env, spec)
    total = WORKERS * spec["rounds"]
    assert read_value(database_env, spec["counter"]) == total
    assert read_value(database_env, spec["guarded"]) == total
    assert_one_holder_at_a_time(outputs)


@pytest.mark.django_db
def test_database_rate_limit_holds_in_every_window_across_processes(tmp_path, database_env):
    spec = take_permits_spec(backend="database")
    outputs = run_workers(tmp_path, database_env, spec)
    assert sum(len(output["grants"]) for output in outputs) == WORKERS * spec["permits"]
    assert_window_never_exceeded(outputs, spec["limit"], spec["period"])


@pytest.mark.broker
def test_redis_counter_and_lock_lose_no_update_across_processes(tmp_path, redis_env, redis_url, redis_prefix):
    from connectors.state import RedisState

    spec = count_and_lock_spec(backend="redis", redis_url=redis_url, prefix=redis_prefix)
    outputs = run_workers(tmp_path, redis_env, spec)
    state = RedisState(redis_url, prefix=redis_prefix)
    total = WORKERS * spec["rounds"]
    assert (state.get(spec["counter"]), state.get(spec["guarded"])) == (total, total)
    assert_one_holder_at_a_time(outputs)


@pytest.mark.broker
def test_redis_rate_limit_holds_in_every_window_across_processes(
    tmp_path, redis_env, redis_url, redis_prefix
):
    spec = take_permits_spec(backend="redis", redis_url=redis_url, prefix=redis_prefix)
    outputs = run_workers(tmp_path, redis_env, spec)
    assert sum(len(output["grants"]) for output in outputs) == WORKERS * spec["permits"]
    assert_window_never_exceeded(outputs, spec["limit"], spec["period"])
