"""A hub database shared by OS processes: ``manage.py sync``, ``qcluster`` and worker processes.

On SQLite a fresh copy of a fully migrated file; when the suite runs on PostgreSQL, the
suite's own test database (the tests then use ``transactional_db`` so the processes see
what the test wrote). The Redis broker is used when the suite is configured with one.
"""

import json
import shutil
import subprocess
import sys
from urllib.parse import quote

from django.conf import settings
from django.db import connection

from tests.support.sandbox import PROJECT_DIR, server_environment


class HubProcesses:
    """Processes of one hub installation (a data directory and a database)."""

    def __init__(self, data_dir, extra_env):
        self.data_dir = data_dir
        self.env = server_environment(data_dir, extra_env)

    def ctl(self, command, timeout=120, **spec):
        """Run one ``hubctl`` command to the end; its JSON answer."""
        done = subprocess.run(
            [sys.executable, "-m", "tests.syncjobs.engine.hubctl", command, json.dumps(spec)],
            cwd=PROJECT_DIR,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if done.returncode != 0:
            raise RuntimeError(f"hubctl {command} failed:\n{done.stderr[-3000:]}")
        return json.loads(done.stdout.strip().splitlines()[-1])

    def start(self, *args, module=None):
        """Start ``manage.py ARGS`` (or ``python -m MODULE ARGS``) in the background."""
        command = [sys.executable, "-m", module, *args] if module else [sys.executable, "manage.py", *args]
        log = open(self.data_dir / f"{args[0]}-{len(list(self.data_dir.iterdir()))}.log", "wb")
        return subprocess.Popen(command, cwd=PROJECT_DIR, env=self.env, stdout=log, stderr=subprocess.STDOUT)


def migrated_sqlite(data_dir):
    """A hub SQLite file with every migration applied (``migrate`` runs in its own process)."""
    migrate = [sys.executable, "manage.py", "migrate", "--verbosity", "0"]
    subprocess.run(migrate, cwd=PROJECT_DIR, env=server_environment(data_dir), check=True, timeout=300)
    return data_dir / "hub.sqlite3"


def hub_processes(request, data_dir, template):
    """``HubProcesses`` on the suite's PostgreSQL database, else on a copy of ``template``."""
    extra = {"INTEGRATION_HUB_CONNECTOR_STATE_BACKEND": "database", "INTEGRATION_HUB_Q_WORKERS": "2"}
    if settings.REDIS_URL:
        extra["REDIS_URL"] = settings.REDIS_URL
    if connection.vendor == "postgresql":
        request.getfixturevalue("transactional_db")
        assert connection.settings_dict["NAME"].startswith("test_"), "refusing a non-test database"
        extra["DATABASE_URL"] = _postgres_url(connection.settings_dict)
    else:
        shutil.copyfile(template, data_dir / "hub.sqlite3")
    return HubProcesses(data_dir, extra)


def _postgres_url(db):
    credentials = quote(db["USER"] or "", safe="")
    if db["PASSWORD"]:
        credentials += ":" + quote(db["PASSWORD"], safe="")
    return f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
