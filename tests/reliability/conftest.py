"""Fixtures of the reliability suite: fast client retries, and hub processes on a chosen broker.

The processes of a test share a database of their own, copied from a migrated template: a
SQLite file, or a PostgreSQL database when the suite runs on PostgreSQL
(``tests.syncjobs.engine.processes``).
"""

import json
import os
import signal
import subprocess
import sys
import uuid

import pytest
import redis
from django.conf import settings

from tests.support.sandbox import PROJECT_DIR
from tests.syncjobs.engine.processes import fetch_all, hub_processes

LOCAL_REDIS_URL = "redis://127.0.0.1:6379/0"


@pytest.fixture(autouse=True)
def fast_client_retries(settings):
    settings.INTEGRATION_HUB_RETRY_BASE_SECONDS = 0.01
    settings.INTEGRATION_HUB_RETRY_CAP_SECONDS = 0.05


@pytest.fixture(scope="session")
def redis_url():
    """A reachable Redis (the suite's, else the local default), or the test is skipped."""
    url = settings.REDIS_URL or LOCAL_REDIS_URL
    client = redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1)
    try:
        client.ping()
    except redis.RedisError:
        pytest.skip(f"Redis is not reachable at {url}; start it to run the Redis broker cases")
    finally:
        client.close()
    return url


class Processes:
    """OS processes of one hub installation: ``ctl`` commands, ``qcluster`` and ``sync``."""

    def __init__(self, data_dir, env):
        self.data_dir = data_dir
        self.env = env
        self.started = []

    def latest_run(self, flow_slug):
        """The flow's latest run as the processes see it: read straight from their database,
        so watching a run costs no process start."""
        sql = (
            "SELECT r.id, r.status, r.phase, r.worker, r.read_count, r.created_count, r.failed_count "
            "FROM syncjobs_syncrun r JOIN syncjobs_syncflow f ON f.id = r.flow_id "
            "WHERE f.slug = %s ORDER BY r.id DESC LIMIT 1"
        )
        row = self._fetch_one(sql, [flow_slug])
        keys = ("id", "status", "phase", "worker", "read", "created", "failed")
        return dict(zip(keys, row, strict=True)) if row else {}

    def write_backs(self):
        """``{status: count}`` of the processes' write-back outbox."""
        rows = self._fetch_all("SELECT status, COUNT(*) FROM syncjobs_writeback GROUP BY status", [])
        return dict(rows)

    def _fetch_one(self, sql, params):
        rows = self._fetch_all(sql, params)
        return rows[0] if rows else None

    def _fetch_all(self, sql, params):
        return fetch_all(self.env["DATABASE_URL"], sql, params)

    def ctl(self, command, timeout=120, **spec):
        done = subprocess.run(
            [sys.executable, "-m", "tests.reliability.ctl", command, json.dumps(spec)],
            cwd=PROJECT_DIR,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if done.returncode != 0:
            raise RuntimeError(f"ctl {command} failed:\n{done.stderr[-3000:]}")
        return json.loads(done.stdout.strip().splitlines()[-1])

    def start(self, *args, **env):
        """``manage.py ARGS`` in the background, in a process group of its own."""
        log = open(self.data_dir / f"{args[0]}-{len(self.started)}.log", "wb")  # noqa: SIM115
        process = subprocess.Popen(
            [sys.executable, "manage.py", *args],
            cwd=PROJECT_DIR,
            env={**self.env, **env},
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.started.append((process, log))
        return process

    def kill_group(self, process):
        """SIGKILL the process and every process it started (a whole ``qcluster``)."""
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        process.wait(30)

    def stop(self):
        """Kill what is still running: the test is over, nothing needs a graceful stop."""
        for process, log in self.started:
            if process.poll() is None:
                self.kill_group(process)
            log.close()

    def log_text(self):
        return "\n".join(
            path.read_text(errors="replace")[-2000:] for path in sorted(self.data_dir.glob("*.log"))
        )


@pytest.fixture
def processes(request, tmp_path, migrated_hub):
    """``make(broker="orm"|"redis", **env)``: hub processes on the suite's database."""
    made = []

    def make(broker="orm", **env):
        base = hub_processes(request, tmp_path, migrated_hub).env
        base.pop("REDIS_URL", None)
        if broker == "redis":
            base["REDIS_URL"] = request.getfixturevalue("redis_url")
        # A queue of this test's own, whichever broker: clusters of other tests never take its tasks.
        base["Q_CLUSTER_NAME"] = f"reliability-{uuid.uuid4().hex[:8]}"
        base.update({key: str(value) for key, value in env.items()})
        made.append(Processes(tmp_path, base))
        return made[-1]

    yield make
    for procs in made:
        procs.stop()
