"""The same initial load on PostgreSQL with the Redis broker and several ``qcluster`` processes.

Each ``qcluster`` runs one worker, as one machine of a cluster would. The load is queued
flow by flow; the workers share each run's batches (claimed by compare-and-set) and then
drain the write-backs together under the CRM connector's rate limit, scaled to 100 calls
per 2 s so the drain takes minutes rather than an hour. The sandbox's call log is the judge
of the limit; the hub's tables show who processed which batch.
"""

import os
import signal
import subprocess
import sys
import uuid
from datetime import datetime
from urllib.parse import urlsplit, urlunsplit

import psycopg
import redis
from django.conf import settings
from django.utils.translation import gettext as _

from benchmarks import figures
from benchmarks.figures import Phase
from benchmarks.processes import StepRunner
from benchmarks.sandbox import child_environment
from benchmarks.workload import LOAD_FLOWS

LIMIT, WINDOW_SECONDS = 100, 2


class ScaleOutUnavailable(RuntimeError):
    """PostgreSQL or Redis cannot be used as asked; the message says what to change."""


class ScaleOut:
    def __init__(self, benchmark):
        self.benchmark = benchmark
        self.options = benchmark.options
        self.workers = self.options.scale_out

    def run(self):
        database_url = create_database(self.options.postgres_url)
        check_empty(self.options.redis_url)
        env = {
            "DATABASE_URL": database_url,
            "REDIS_URL": self.options.redis_url,
            "INTEGRATION_HUB_Q_WORKERS": 1,
            # A run's leader works until no batch is left: the task limit must outlast a large load.
            "INTEGRATION_HUB_Q_TIMEOUT": 3600,
            "INTEGRATION_HUB_Q_RETRY": 3660,
        }
        steps = StepRunner(self.benchmark.work_dir / "scale-out", env={**env, **self.benchmark.profile_env})
        clusters = []
        try:
            _tenants, calls = self.benchmark.tenants(
                "scale-out",
                self.options.records,
                self.options.orders,
                write_back=True,
                steps=steps,
                options={"parallel_batches": self.workers},
            )
            self.benchmark.sandbox.set_faults("fxiaoke", rate_limit=LIMIT, rate_window_seconds=WINDOW_SECONDS)
            clusters = [self._start_cluster(steps, env) for _worker in range(self.workers)]
            self.benchmark.say(
                _("Scale-out: %(workers)s qcluster processes on PostgreSQL and Redis…")
                % {"workers": self.workers}
            )
            spec = {"flows": list(LOAD_FLOWS), "workers": self.workers, "crm_limits": self._crm_limits()}
            result = steps.run("queue_load", "scale-out", spec)
            result["measurement"]["cpu_seconds"] = _cpu_seconds(clusters)
        finally:
            for process in clusters:
                _stop(process)
            self.benchmark.sandbox.set_faults("fxiaoke", rate_limit=10**9)
            if not self.options.keep:
                drop_database(self.options.postgres_url, database_url)
                redis.Redis.from_url(self.options.redis_url).flushdb()
        return self._report(result, calls.take())

    def _crm_limits(self):
        return {"rate_limit": LIMIT, "rate_period_seconds": WINDOW_SECONDS}

    def _start_cluster(self, steps, env):
        folder = steps.hub_dir("scale-out")
        log = open(folder / f"qcluster-{uuid.uuid4().hex[:6]}.log", "wb")  # noqa: SIM115 - the process keeps it
        return subprocess.Popen(
            [sys.executable, "manage.py", "qcluster"],
            cwd=settings.BASE_DIR,
            env=child_environment(folder, **env),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def _report(self, result, calls):
        phase = Phase("scale-out", [result], calls)
        phase.records = sum(run["read"] for run in result["runs"])
        updates = [c for c in calls.get("fxiaoke", []) if c["operation"].endswith("/update")]
        busiest = figures.busiest_window(sorted(_arrival(c) for c in updates), WINDOW_SECONDS)
        row = figures.row(phase)
        # The workers wait on the APIs, not this process; their memory is theirs.
        row.update(api_wait_seconds=None, peak_rss_mb=None)
        return {
            "workers": self.workers,
            "row": row,
            "runs": result["runs"],
            "drains": result["drains"],
            "sharing": result["sharing"],
            "targets": result["targets"],
            "crm_limit": {"limit": LIMIT, "window_seconds": WINDOW_SECONDS, "busiest_window": busiest},
            "crm_refusals": sum(1 for c in calls.get("fxiaoke", []) if c["outcome"] == "error 14001"),
        }


def create_database(server_url):
    """A new, empty database on the PostgreSQL server of ``server_url``; its URL."""
    name = f"integration_hub_benchmark_{uuid.uuid4().hex[:8]}"
    try:
        with psycopg.connect(_libpq(server_url), autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
    except psycopg.Error as error:
        raise ScaleOutUnavailable(
            _(
                "Cannot create a database on %(server)s (%(error)s); name a PostgreSQL server with --postgres-url."
            )
            % {"server": server_url, "error": error}
        ) from error
    parts = urlsplit(server_url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def drop_database(server_url, database_url):
    name = urlsplit(database_url).path.lstrip("/")
    with psycopg.connect(_libpq(server_url), autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _libpq(url):
    return url.replace("postgres://", "postgresql://", 1)


def check_empty(url):
    """The Redis database must be empty: the benchmark flushes it when done."""
    try:
        size = redis.Redis.from_url(url, socket_connect_timeout=2).dbsize()
    except redis.RedisError as error:
        raise ScaleOutUnavailable(
            _("Cannot reach Redis at %(url)s (%(error)s); start it or name another with --redis-url.")
            % {"url": url, "error": error}
        ) from error
    if size:
        raise ScaleOutUnavailable(
            _("Redis database %(url)s holds %(keys)s keys; name an empty one with --redis-url.")
            % {"url": url, "keys": size}
        )


def _cpu_seconds(clusters):
    """CPU time of every process of the clusters (each ``qcluster`` leads its own session)."""
    ticks = os.sysconf("SC_CLK_TCK")
    sessions = {process.pid for process in clusters}
    total = 0
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[3]) in sessions:  # field 6 of stat: the session id
            total += int(fields[11]) + int(fields[12])  # utime, stime
    return round(total / ticks, 2)


def _stop(process):
    """The measurement is over: stop the cluster and everything it started at once."""
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    process.wait()


def _arrival(call):
    return datetime.fromisoformat(call["at"]).timestamp() - call["elapsed_ms"] / 1000
