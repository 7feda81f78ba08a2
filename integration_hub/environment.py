"""Checks a command makes before it starts, so a set-up mistake is one translated line, not a traceback.

Each check raises ``SetupProblem`` (a ``CommandError``: Django prints its message alone and
exits with status 1). The checks are typed: a database that cannot be reached raises
``OperationalError`` on connecting, one that is not migrated has migrations left to apply,
a Redis server that is down raises ``redis.exceptions.ConnectionError``, a port in use
raises ``OSError`` with ``EADDRINUSE``. A connector's own HTTP failures are not these: they
stay the connector's, reported by the run.
"""

import argparse
import errno

from django.conf import settings
from django.core.management.base import CommandError
from django.db import DatabaseError, connections
from django.db.migrations.executor import MigrationExecutor
from django.utils.translation import gettext as _

SETUP_COMMAND = "python manage.py setup"
MAX_PORT = 65535


class SetupProblem(CommandError):
    """The installation is not ready for this command; the message says what to do."""


def database_server(alias):
    """Where database ``alias`` lives, as a person would name it (host:port, or the SQLite file)."""
    config = settings.DATABASES[alias]
    if config.get("HOST"):
        port = config.get("PORT")
        return f"{config['HOST']}:{port}" if port else config["HOST"]
    return str(config.get("NAME", alias))


def require_reachable(alias="default"):
    """Raise ``SetupProblem`` naming the server unless database ``alias`` accepts a connection."""
    try:
        connections[alias].ensure_connection()
    except DatabaseError as exc:
        raise _unreachable(alias, exc) from exc


def require_database(alias="default"):
    """Raise ``SetupProblem`` unless database ``alias`` answers and every migration is applied."""
    require_reachable(alias)
    try:
        executor = MigrationExecutor(connections[alias])
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except DatabaseError as exc:
        raise _unreachable(alias, exc) from exc
    if pending:
        raise SetupProblem(
            _("%(database)s is not set up yet: run `%(command)s` first.")
            % {"database": _database_name(alias), "command": SETUP_COMMAND}
        )


def _database_name(alias):
    names = {"default": _("The hub's database"), settings.SANDBOX_DATABASE: _("The sandboxes' database")}
    return names.get(alias, alias)


def _unreachable(alias, exc):
    first_line = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
    return SetupProblem(
        _("Cannot reach the database at %(server)s: %(error)s. Start it, or correct its URL.")
        % {"server": database_server(alias), "error": first_line}
    )


def require_redis():
    """Raise ``SetupProblem`` naming the server when ``REDIS_URL`` is set and Redis does not answer."""
    url = getattr(settings, "REDIS_URL", "")
    if not url:
        return
    import redis

    client = redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2)
    options = client.connection_pool.connection_kwargs
    server = f"{options.get('host', 'localhost')}:{options.get('port', 6379)}"
    try:
        client.ping()
    except (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError) as exc:
        raise SetupProblem(
            _("Cannot reach Redis at %(server)s (REDIS_URL): start it, or correct the URL.")
            % {"server": server}
        ) from exc
    finally:
        client.close()


def port_number(text):
    """An argparse type: a TCP port, 0 to 65535 (0: any free port)."""
    try:
        port = int(text)
    except ValueError:
        port = -1
    if not 0 <= port <= MAX_PORT:
        raise argparse.ArgumentTypeError(
            _("%(port)s is not a port: give a number from 0 to %(max)s.") % {"port": text, "max": MAX_PORT}
        )
    return port


def listening(start, host, port):
    """Call ``start()`` (which binds ``host:port``); a port in use or refused is a ``SetupProblem``."""
    try:
        return start()
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise SetupProblem(
                _("Port %(port)s on %(host)s is in use: stop what uses it, or give another with --port.")
                % {"port": port, "host": host}
            ) from exc
        raise SetupProblem(
            _("Cannot listen on %(host)s:%(port)s: %(error)s.")
            % {"host": host, "port": port, "error": exc.strerror}
        ) from exc
