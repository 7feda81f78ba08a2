"""Runs a sandbox server in its own OS process and drives it through the control API.

The server has its own SQLite files in a temporary folder, so its state lives outside
pytest-django's test transactions, exactly as a real remote system's would.
"""

import os
import subprocess
import sys
import time
from pathlib import Path

import requests

PROJECT_DIR = Path(__file__).resolve().parents[2]


class SandboxServer:
    """A running ``manage.py sandbox serve`` process and its control API."""

    def __init__(self, data_dir, extra_env=None):
        self.data_dir = Path(data_dir)
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.extra_env = extra_env or {}
        self.process = None
        self.base_url = None
        self.http = requests.Session()

    def start(self, timeout=60):
        port_file = self.data_dir / "port"
        port_file.unlink(missing_ok=True)
        env = server_environment(self.data_dir, self.extra_env)
        self.log = open(self.data_dir / "server.log", "ab")
        self.process = subprocess.Popen(
            [sys.executable, "manage.py", "sandbox", "serve", "--port", "0", "--port-file", str(port_file)],
            cwd=PROJECT_DIR,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"sandbox server exited; see {self.data_dir / 'server.log'}")
            if port_file.exists() and port_file.read_text().strip():
                self.base_url = f"http://127.0.0.1:{port_file.read_text().strip()}"
                return self
            time.sleep(0.1)
        raise RuntimeError("sandbox server did not start in time")

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
        self.http.close()

    # --- URLs of the simulated systems -----------------------------------------------------
    @property
    def k3cloud_url(self):
        return f"{self.base_url}/sandbox/k3cloud/"

    @property
    def fxiaoke_url(self):
        return f"{self.base_url}/sandbox/fxiaoke"

    # --- control API -----------------------------------------------------------------------
    def _post(self, path, body):
        response = self.http.post(f"{self.base_url}/sandbox/control/{path}", json=body, timeout=120)
        response.raise_for_status()
        return response.json()

    def seed(self, size=10, seed=42, systems=None, **shape):
        """Create a fresh tenant per system; returns ``sandbox seed --json``'s dict.

        ``shape``: ``orders`` and ``lines`` per order, when a test needs that exact volume.
        """
        return self._post("seed", {"size": size, "seed": seed, "systems": systems, **shape})

    def set_faults(self, system, **values):
        return self._post(f"faults/{system}", values)

    def clear_faults(self, system):
        return self._post(f"faults/{system}", {"reset": True})

    def expire_sessions(self, system):
        return self._post(f"faults/{system}", {"expire_sessions": True})

    def advance_clock(self, system, seconds):
        return self._post(f"clock/{system}", {"advance": seconds})

    def set_tenant_field(self, system, obj, field, type="text", **extra):  # noqa: A002
        """Add a tenant's own field to the simulated metadata, or change its type."""
        return self._post(f"fields/{system}", {"object": obj, "field": field, "type": type, **extra})

    def remove_tenant_field(self, system, obj, field):
        return self._post(f"fields/{system}", {"object": obj, "field": field, "remove": True})

    def reset_tenant_fields(self):
        return self._post("fields/k3cloud", {"reset": True})

    def simulate(self, system, **options):
        return self._post(f"simulate/{system}", options)

    def calls(self, system=None, tenant=None, after_id=0):
        params = {"after_id": after_id}
        if system:
            params["system"] = system
        if tenant:
            params["tenant"] = tenant
        response = self.http.get(f"{self.base_url}/sandbox/control/calls", params=params, timeout=60)
        response.raise_for_status()
        return response.json()["calls"]


def server_environment(data_dir, extra_env=None):
    """Environment for a child process that must use its own files, not the developer's."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
    env.update(
        {
            "INTEGRATION_HUB_DATA_DIR": str(data_dir),
            "INTEGRATION_HUB_SANDBOX_ENABLED": "true",
            "DEBUG": "true",
            "DATABASE_URL": f"sqlite:///{Path(data_dir) / 'hub.sqlite3'}",
            "INTEGRATION_HUB_SANDBOX_DATABASE_URL": f"sqlite:///{Path(data_dir) / 'sandbox.sqlite3'}",
            "PYTHONUNBUFFERED": "1",
        }
    )
    env.pop("REDIS_URL", None)
    env.update(extra_env or {})
    return env
