"""A hub database shared by OS processes: ``manage.py sync``, ``qcluster`` and worker processes.

The processes get a database of their own, as a second installation would, never the one
pytest-django wraps in the test's transaction (a child inserting the rows the test holds
uncommitted would wait on the test forever). On SQLite it is a fresh copy of a fully migrated
file; when the suite runs on PostgreSQL, a database cloned from a migrated template database
(``CREATE DATABASE … TEMPLATE``, a file copy on the server) and dropped after the test. The
Redis broker is used when the suite is configured with one.
"""

import json
import shutil
import subprocess
import sys
import uuid
from dataclasses import dataclass
from urllib.parse import quote

import psycopg
from django.conf import settings
from django.db import connection
from psycopg import sql

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


@dataclass(frozen=True)
class PostgresTemplate:
    """A migrated PostgreSQL database the processes' databases are cloned from."""

    server: dict  # the suite's connection settings: host, port, user, password
    name: str


def migrated_template(data_dir):
    """A fully migrated hub database to copy for each test (``migrate`` runs in its own process).

    On SQLite a file in ``data_dir``; on PostgreSQL a template database on the suite's server.
    """
    if connection.vendor != "postgresql":
        _migrate(data_dir, {})
        return data_dir / "hub.sqlite3"
    template = PostgresTemplate(_server(), f"hub_template_{uuid.uuid4().hex[:10]}")
    _create_database(template.server, template.name)
    _migrate(data_dir, {"DATABASE_URL": postgres_url(template.server, template.name)})
    return template


def drop_template(template):
    if isinstance(template, PostgresTemplate):
        _drop_database(template.server, template.name)


def hub_processes(request, data_dir, template):
    """``HubProcesses`` on a fresh copy of ``template`` (see ``migrated_template``)."""
    extra = {"INTEGRATION_HUB_CONNECTOR_STATE_BACKEND": "database", "INTEGRATION_HUB_Q_WORKERS": "2"}
    if settings.REDIS_URL:
        extra["REDIS_URL"] = settings.REDIS_URL
    if isinstance(template, PostgresTemplate):
        name = f"hub_{uuid.uuid4().hex[:12]}"
        _create_database(template.server, name, template=template.name)
        request.addfinalizer(lambda: _drop_database(template.server, name))
        extra["DATABASE_URL"] = postgres_url(template.server, name)
    else:
        shutil.copyfile(template, data_dir / "hub.sqlite3")
    return HubProcesses(data_dir, extra)


def fetch_all(database_url, query, params):
    """Rows of ``query`` (``%s`` placeholders) read from the processes' database."""
    if database_url.startswith("postgres"):
        with psycopg.connect(database_url, autocommit=True) as db:
            return db.execute(query, params).fetchall()
    import sqlite3

    path = database_url.removeprefix("sqlite:///")
    with sqlite3.connect(path, timeout=30) as db:
        return db.execute(query.replace("%s", "?"), params).fetchall()


def postgres_url(server, name):
    credentials = quote(server["USER"] or "", safe="")
    if server["PASSWORD"]:
        credentials += ":" + quote(server["PASSWORD"], safe="")
    return f"postgres://{credentials}@{server['HOST'] or '127.0.0.1'}:{server['PORT'] or 5432}/{name}"


def _server():
    db = connection.settings_dict
    return {key: db[key] for key in ("HOST", "PORT", "USER", "PASSWORD")}


def _migrate(data_dir, extra_env):
    migrate = [sys.executable, "manage.py", "migrate", "--skip-checks", "--verbosity", "0"]
    env = server_environment(data_dir, extra_env)
    done = subprocess.run(migrate, cwd=PROJECT_DIR, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]


def _maintenance(server):
    return psycopg.connect(postgres_url(server, "postgres"), autocommit=True)


def _create_database(server, name, template=None):
    statement = sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name))
    if template:
        statement += sql.SQL(" TEMPLATE {}").format(sql.Identifier(template))
    with _maintenance(server) as db:
        db.execute(statement)


def _drop_database(server, name):
    # FORCE: a process the test killed may leave its connection behind for a moment.
    with _maintenance(server) as db:
        db.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
