"""``manage.py benchmark --soak``: the hub as deployed, under a steady stream of changes.

Every part runs in a process of its own, as in production: the sandbox server (both
systems, ``latency_ms`` on every call, the CRM's default rate limits, its webhook switched
on), the hub's web server (which receives the CRM's webhooks), ``workers`` django-q2
workers in one ``qcluster`` on the default SQLite database and ORM broker (``scale_out``:
PostgreSQL and Redis instead), and a driver that plays the people of both systems.

After an initial load of ``customers`` customers with half as many orders (sent without
latency or limits: it is set-up, not measured), the flows go on their schedules and the
driver makes ``rate`` CRM edits a second for ``minutes`` minutes (account edits, order
edits, new orders) while the ERP's clerks audit the orders the hub wrote and ship and take
payment for some (about ``erp_share`` of the edit rate). Then the hub is given time to
settle. The figures and their definitions are in ``soak_figures`` and ``soak_steps``.
"""

import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import requests
from django.conf import settings
from django.utils.translation import gettext as _

from benchmarks import soak_targets
from benchmarks.processes import StepRunner
from benchmarks.sandbox import SandboxProcess, TenantCalls, child_environment
from benchmarks.suite import DEFAULT_CRM_LIMITS, LINES_PER_ORDER, UNLIMITED_CRM
from benchmarks.workload import CRM_SLUG, UNLIMITED

HUB = "soak"


@dataclass(frozen=True)
class SoakOptions:
    """What the soak runs; the defaults are the ones its targets are stated for."""

    minutes: float = 10.0
    rate: float = 2.0  # CRM edits per second
    workers: int = 2
    customers: int = 3000
    latency_ms: int = 20
    batch_size: int = 200
    schedule_minutes: int = 1
    erp_share: float = 0.25  # ERP deliveries and receipts, as a share of the edit rate
    erp_every_seconds: float = 15.0
    settle_min_seconds: float = 90.0  # a schedule interval and its margin, so the last bills are read
    settle_max_seconds: float = 300.0
    scale_out: bool = False
    postgres_url: str = "postgres://postgres@127.0.0.1:5432/postgres"
    redis_url: str = "redis://127.0.0.1:6379/13"
    work_dir: str = ""
    keep: bool = False

    @property
    def orders(self):
        return self.customers // 2


class Soak:
    """Runs the soak and returns its report (a JSON-able dict)."""

    def __init__(self, options, say=print):
        self.options = options
        self.say = say
        self.work_dir = Path(options.work_dir or tempfile.mkdtemp(prefix="integration-hub-soak-"))
        self.secret = secrets.token_urlsafe(24)
        self.processes = []

    def run(self):
        started = time.monotonic()
        env, cleanup = self._database_env()
        try:
            with SandboxProcess(self.work_dir / "sandbox") as sandbox:
                result = self._soak(sandbox, StepRunner(self.work_dir, env=env), env)
        finally:
            cleanup()
            if not self.options.keep:
                shutil.rmtree(self.work_dir, ignore_errors=True)
        return soak_targets.report(self.options, result, time.monotonic() - started)

    def _soak(self, sandbox, steps, env):
        options = self.options
        tenants = self._load(sandbox, steps)
        calls = TenantCalls(sandbox, tenants)
        calls.take()
        port = _free_port()
        self._switch_on(sandbox, port)
        try:
            self._start_hub(steps, env, port)
            self.say(
                _("Soak: %(rate)s CRM edits a second for %(minutes)s minutes, %(workers)s workers…")
                % {"rate": options.rate, "minutes": options.minutes, "workers": options.workers}
            )
            drive = steps.run("soak_drive", HUB, self._drive_spec(sandbox, tenants))
        finally:
            self._stop_hub()
            for system in ("k3cloud", "fxiaoke"):
                sandbox.clear_faults(system)
        api = calls.take()
        database = f"sqlite:///{sandbox.data_dir / 'sandbox.sqlite3'}"
        collect_spec = {"drive": drive, "erp_tenant": tenants["k3cloud"]["acct_id"]}
        collected = steps.run(
            "soak_collect",
            HUB,
            collect_spec,
            INTEGRATION_HUB_SANDBOX_ENABLED="true",
            INTEGRATION_HUB_SANDBOX_DATABASE_URL=database,
        )
        return {"drive": drive, "collected": collected, "calls": _call_counts(api)}

    def _load(self, sandbox, steps):
        options = self.options
        for system in ("k3cloud", "fxiaoke"):
            sandbox.set_faults(system, latency_ms=0)
        sandbox.set_faults("fxiaoke", **UNLIMITED_CRM)
        self.say(
            _("Seeding %(customers)s customers and %(orders)s orders (%(hub)s)…")
            % {"customers": options.customers, "orders": options.orders, "hub": HUB}
        )
        tenants = sandbox.seed(options.customers, options.orders, LINES_PER_ORDER)
        self.say(_("Soak: the initial load…"))
        spec = {
            "base_url": sandbox.base_url,
            "tenants": tenants,
            "batch_size": options.batch_size,
            "write_back": True,
            "rate_limit": UNLIMITED,
            "budget_share": 0.95,
            "schedule_minutes": options.schedule_minutes,
            "crm_limits": {"rate_limit": DEFAULT_CRM_LIMITS["rate_limit"], "rate_period_seconds": 20},
        }
        steps.run("soak_setup", HUB, spec)
        return tenants

    def _switch_on(self, sandbox, port):
        """Latency, the CRM's default limits and its webhook to the hub's web server."""
        for system in ("k3cloud", "fxiaoke"):
            sandbox.set_faults(system, latency_ms=self.options.latency_ms)
        sandbox.set_faults(
            "fxiaoke",
            **DEFAULT_CRM_LIMITS,
            webhook_url=f"http://127.0.0.1:{port}/hooks/sync/",
            webhook_secret=self.secret,
            webhook_connector=CRM_SLUG,
        )

    def _drive_spec(self, sandbox, tenants):
        options = self.options
        fields = (
            "minutes",
            "rate",
            "erp_share",
            "erp_every_seconds",
            "settle_min_seconds",
            "settle_max_seconds",
        )
        return {
            **{name: getattr(options, name) for name in fields},
            "sandbox_url": sandbox.base_url,
            "crm_tenant": tenants["fxiaoke"]["corp_id"],
            "erp_tenant": tenants["k3cloud"]["acct_id"],
            "orders": options.orders,
        }

    # --- the hub's processes -----------------------------------------------------------
    def _start_hub(self, steps, env, port):
        hub_env = {
            **env,
            "INTEGRATION_HUB_WEBHOOK_SECRETS": self.secret,
            "INTEGRATION_HUB_Q_WORKERS": self.options.workers,
        }
        self._spawn(steps, hub_env, "web", "runserver", f"127.0.0.1:{port}", "--noreload")
        self._spawn(steps, hub_env, "qcluster", "qcluster")
        _wait_for_port(port)

    def _spawn(self, steps, env, name, *command):
        folder = steps.hub_dir(HUB)
        log = open(folder / f"{name}-{uuid.uuid4().hex[:6]}.log", "wb")  # noqa: SIM115 - the process keeps it
        self.processes.append(
            subprocess.Popen(
                [sys.executable, "manage.py", *command],
                cwd=settings.BASE_DIR,
                env=child_environment(folder, **env),
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        )

    def _stop_hub(self):
        for process in self.processes:
            try:
                os.killpg(process.pid, signal.SIGTERM)
                process.wait(timeout=20)
            except ProcessLookupError:
                pass
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        self.processes = []

    def _database_env(self):
        """The hub's database and broker: SQLite + ORM, or a fresh PostgreSQL database + Redis."""
        if not self.options.scale_out:
            return {}, lambda: None
        from benchmarks import scaleout

        database_url = scaleout.create_database(self.options.postgres_url)
        scaleout.check_empty(self.options.redis_url)

        def cleanup():
            if not self.options.keep:
                scaleout.drop_database(self.options.postgres_url, database_url)
                import redis

                redis.Redis.from_url(self.options.redis_url).flushdb()

        return {"DATABASE_URL": database_url, "REDIS_URL": self.options.redis_url}, cleanup


def _call_counts(calls):
    return {system: len(found) for system, found in calls.items()}


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_for_port(port, timeout=120):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            requests.get(f"http://127.0.0.1:{port}/hooks/sync/", timeout=2)
            return
        except requests.ConnectionError:
            time.sleep(0.2)
    raise RuntimeError(_("The hub's web server did not start within %(seconds)s s.") % {"seconds": timeout})
