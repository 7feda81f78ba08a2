"""All workers of a connector share one login session, and renew it once when it is lost.

Four OS processes share the connector state in one SQLite file, as a web server and its
task workers do. Each round starts them together on a signal, so they really race: first
for the session nobody has yet, then (after the ERP expired it) to renew the stale one.
"""

import json
import subprocess
import sys
import time

import pytest

from tests.support.sandbox import PROJECT_DIR, server_environment

pytestmark = pytest.mark.slow
WORKERS = 4
ROUNDS = ("cold", "expired")


@pytest.fixture
def worker_env(tmp_path):
    env = server_environment(tmp_path, {"INTEGRATION_HUB_CONNECTOR_STATE_BACKEND": "database"})
    migrate = [sys.executable, "manage.py", "migrate", "--skip-checks", "--verbosity", "0"]
    subprocess.run(migrate, cwd=PROJECT_DIR, env=env, check=True, timeout=120)
    return env


class Workers:
    """WORKERS processes running ``tests.connectors.k3cloud.worker``, started round by round."""

    def __init__(self, folder, env, config):
        self.folder = folder
        self.processes = []
        for number in range(WORKERS):
            spec = {
                "config": config,
                "rounds": [
                    [str(self.ready_file(name, number)), str(folder / f"{name}.go")] for name in ROUNDS
                ],
                "out": str(folder / f"worker{number}.out"),
            }
            log = open(folder / f"worker{number}.log", "wb")
            command = [sys.executable, "-m", "tests.connectors.k3cloud.worker", json.dumps(spec)]
            process = subprocess.Popen(command, cwd=PROJECT_DIR, env=env, stdout=log, stderr=log)
            self.processes.append((process, log))

    def ready_file(self, round_name, number):
        return self.folder / f"{round_name}.ready{number}"

    def wait_ready(self, round_name, timeout=90):
        """Wait until every worker waits for the round's signal (so the previous round is done)."""
        deadline = time.monotonic() + timeout
        while not all(self.ready_file(round_name, n).exists() for n in range(WORKERS)):
            assert time.monotonic() < deadline, "workers were not ready in time"
            assert all(p.poll() is None for p, _ in self.processes), self.logs()
            time.sleep(0.02)

    def start(self, round_name):
        (self.folder / f"{round_name}.go").touch()

    def results(self, timeout=60):
        for process, _ in self.processes:
            assert process.wait(timeout=timeout) == 0, self.logs()
        return [json.loads((self.folder / f"worker{n}.out").read_text()) for n in range(WORKERS)]

    def logs(self):
        return [(self.folder / f"worker{n}.log").read_text() for n in range(WORKERS)]

    def stop(self):
        for process, log in self.processes:
            if process.poll() is None:
                process.kill()
            log.close()


def test_workers_log_in_once_and_renew_a_lost_session_once(sandbox, erp, call_log, worker_env, tmp_path):
    config = {
        "server_url": erp["server_url"],
        "acct_id": erp["acct_id"],
        "username": erp["username"],
        "password": erp["password"],
        "auth_mode": "password",
        "connector_key": "k3cloud:shared-session",
    }
    workers = Workers(tmp_path, worker_env, config)
    try:
        workers.wait_ready("cold")
        workers.start("cold")
        workers.wait_ready("expired")
        cold_logins = len(call_log("ValidateUser"))
        sandbox.expire_sessions("k3cloud")
        workers.start("expired")
        results = workers.results()
    finally:
        workers.stop()

    assert cold_logins == 1
    assert len(call_log("ValidateUser")) == 2
    lost = [c for c in call_log("ExecuteBillQuery") if c["outcome"] == "session_lost"]
    assert 1 <= len(lost) <= WORKERS
    assert all(seen == results[0] for seen in results)
    assert results[0][0] == results[0][1] and len(results[0][0]) == 2
