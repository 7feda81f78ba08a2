"""Four OS processes of one connector start together: the token endpoint is called once,
and once more after the sandbox expires every token (judged by the sandbox's call log).

The workers share the connector state through a real SQLite file (the database backend),
as the web server and the task workers of one installation do.
"""

import json
import subprocess
import sys
import time
import uuid

import pytest

from tests.connectors.fxiaoke.conftest import tenant_config
from tests.support.sandbox import PROJECT_DIR, server_environment

pytestmark = pytest.mark.slow

WORKERS = 4
TOKEN = "/cgi/corpAccessToken/get/V2"
LIST = "/cgi/crm/v2/object/list"


@pytest.fixture(scope="module")
def shared_env(tmp_path_factory):
    """A fully migrated hub database file for the workers (``migrate`` in its own process)."""
    data_dir = tmp_path_factory.mktemp("fxiaoke-workers")
    env = server_environment(data_dir, {"INTEGRATION_HUB_CONNECTOR_STATE_BACKEND": "database"})
    migrate = [sys.executable, "manage.py", "migrate", "--skip-checks", "--verbosity", "0"]
    done = subprocess.run(migrate, cwd=PROJECT_DIR, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return env


class Workers:
    """WORKERS processes released phase by phase through signal files."""

    def __init__(self, folder, env, config, actions):
        self.folder = folder
        self.phases = [
            {"action": action, "go": str(folder / f"go{n}"), "done": f"done{n}"}
            for n, action in enumerate(actions)
        ]
        self.processes = []
        for number in range(WORKERS):
            spec = {
                "config": config,
                "ready": str(folder / f"w{number}.ready"),
                "out": str(folder / f"w{number}.out"),
                "phases": [{**p, "done": str(folder / f"w{number}.{p['done']}")} for p in self.phases],
            }
            log = open(folder / f"w{number}.log", "wb")
            command = [sys.executable, "-m", "tests.connectors.fxiaoke.worker", json.dumps(spec)]
            self.processes.append(
                (
                    subprocess.Popen(command, cwd=PROJECT_DIR, env=env, stdout=log, stderr=subprocess.STDOUT),
                    log,
                )
            )
        self.wait_for_files("ready")

    def release(self, phase):
        (self.folder / f"go{phase}").touch()
        self.wait_for_files(self.phases[phase]["done"])

    def outputs(self):
        for process, log in self.processes:
            process.wait(timeout=60)
            log.close()
        return [json.loads((self.folder / f"w{n}.out").read_text()) for n in range(WORKERS)]

    def wait_for_files(self, suffix, timeout=90):
        deadline = time.monotonic() + timeout
        while not all((self.folder / f"w{n}.{suffix}").exists() for n in range(WORKERS)):
            for number, (process, _log) in enumerate(self.processes):
                if process.poll() not in (None, 0):
                    pytest.fail((self.folder / f"w{number}.log").read_text())
            if time.monotonic() > deadline:
                pytest.fail(f"workers did not reach {suffix} in time")
            time.sleep(0.02)

    def stop(self):
        for process, log in self.processes:
            if process.poll() is None:
                process.kill()
            log.close()


def test_four_processes_fetch_the_token_once_and_once_again_after_expiry(
    sandbox, tenant, shared_env, tmp_path
):
    config = {
        **tenant_config(sandbox, tenant).__dict__,
        "connector_key": f"fxiaoke:workers:{uuid.uuid4().hex}",
    }
    # Calls refused for the token are logged before the sandbox knows the tenant: read by mark.
    mark = max([c["id"] for c in sandbox.calls(system="fxiaoke")], default=0)
    workers = Workers(tmp_path, shared_env, config, ["list", "list", "counts"])
    try:
        workers.release(0)
        sandbox.expire_sessions("fxiaoke")
        workers.release(1)
        workers.release(2)
        outputs = workers.outputs()
    finally:
        workers.stop()

    calls = sandbox.calls(system="fxiaoke", after_id=mark)
    assert [c["detail"] for c in calls if c["operation"] == TOKEN] == ["new token", "new token"]
    assert sorted(c["outcome"] for c in calls if c["operation"] == LIST) == ["error 20016"] * 4 + ["ok"] * 8
    # Every worker saw the objects both times, and the per-day counters every worker shares.
    objects = outputs[0][0]
    assert objects > 10 and outputs == [[objects, objects, {TOKEN: 2, LIST: 12}]] * WORKERS
