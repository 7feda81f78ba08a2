"""The sandbox server the benchmark talks to: its own OS process, its own SQLite files.

Serving the simulated systems from another process is what lets the benchmark tell the
engine's CPU time from the time its calls spend in the (simulated) remote systems.
"""

import os
import secrets
import subprocess
import sys
import time
from pathlib import Path

import requests
from django.conf import settings
from django.utils.translation import gettext as _

# Calls the control API returns per request; the log is read page by page beyond that.
_CALLS_PAGE = 100_000


def child_environment(data_dir, **extra):
    """The environment for a process of the benchmark: its own data folder and databases."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "DJANGO_"))}
    for name in ("DATABASE_URL", "REDIS_URL", "INTEGRATION_HUB_CONNECTOR_STATE_BACKEND"):
        env.pop(name, None)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "integration_hub.settings",
            "INTEGRATION_HUB_DATA_DIR": str(data_dir),
            "INTEGRATION_HUB_SANDBOX_DATABASE_URL": f"sqlite:///{Path(data_dir) / 'sandbox.sqlite3'}",
            "DEBUG": "true",
            "LOG_LEVEL": "WARNING",
            "PYTHONUNBUFFERED": "1",
        }
    )
    env.update({key: str(value) for key, value in extra.items()})
    return env


def _as_deployed():
    """Settings that serve the simulated systems the way a deployed server runs: DEBUG off.

    With DEBUG on, Django logs the text of every SQL statement, and renders each
    statement's parameters back into SQL to do so. That cost belongs to a development
    server, not to the remote systems the sandboxes stand for, so the benchmark's API waits
    leave it out. The server listens on the loopback only, over plain HTTP.
    """
    from cryptography.fernet import Fernet

    return {
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "INTEGRATION_HUB_FIELD_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "false",
    }


class SandboxProcess:
    """``manage.py sandbox serve`` in a process of its own, driven over its control API."""

    def __init__(self, data_dir):
        self.data_dir = Path(data_dir)
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.process = None
        self.base_url = ""
        self.http = requests.Session()

    def start(self, timeout=120):
        port_file = self.data_dir / "port"
        port_file.unlink(missing_ok=True)
        self.log = open(self.data_dir / "server.log", "ab")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            [sys.executable, "manage.py", "sandbox", "serve", "--port", "0", "--port-file", str(port_file)],
            cwd=settings.BASE_DIR,
            env=child_environment(self.data_dir, INTEGRATION_HUB_SANDBOX_ENABLED="true", **_as_deployed()),
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    _("The sandbox server stopped; see %(log)s.") % {"log": self.data_dir / "server.log"}
                )
            if port_file.exists() and port_file.read_text().strip():
                self.base_url = f"http://127.0.0.1:{port_file.read_text().strip()}"
                return self
            time.sleep(0.1)
        raise RuntimeError(_("The sandbox server did not start within %(seconds)s s.") % {"seconds": timeout})

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.http.close()
        if self.process is not None:
            self.log.close()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    # --- control API -------------------------------------------------------------------
    def _post(self, path, body):
        response = self.http.post(f"{self.base_url}/sandbox/control/{path}", json=body, timeout=3600)
        response.raise_for_status()
        return response.json()

    def seed(self, customers, orders, lines, seed=42):
        """A fresh tenant pair holding ``customers`` accounts and ``orders`` × ``lines`` order lines."""
        return self._post("seed", {"size": customers, "seed": seed, "orders": orders, "lines": lines})

    def set_faults(self, system, **values):
        return self._post(f"faults/{system}", values)

    def clear_faults(self, system):
        return self._post(f"faults/{system}", {"reset": True})

    def calls(self, system, tenant, after_id=0):
        """The call log of one tenant of ``system`` after call ``after_id``, oldest first."""
        found = []
        while True:
            params = {"system": system, "tenant": tenant, "after_id": after_id}
            response = self.http.get(f"{self.base_url}/sandbox/control/calls", params=params, timeout=600)
            response.raise_for_status()
            page = response.json()["calls"]
            found.extend(page)
            if len(page) < _CALLS_PAGE:
                return found
            after_id = page[-1]["id"]


class TenantCalls:
    """The calls one tenant pair received, taken phase by phase from the sandbox's log."""

    def __init__(self, sandbox, tenants):
        self.sandbox = sandbox
        self.tenants = {"k3cloud": tenants["k3cloud"]["acct_id"], "fxiaoke": tenants["fxiaoke"]["tenant"]}
        self.seen = dict.fromkeys(self.tenants, 0)

    def take(self):
        """``{system: [calls]}`` received since the previous ``take``."""
        taken = {}
        for system, tenant in self.tenants.items():
            taken[system] = self.sandbox.calls(system, tenant, after_id=self.seen[system])
            if taken[system]:
                self.seen[system] = taken[system][-1]["id"]
        return taken
