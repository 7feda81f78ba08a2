import pytest
from django.utils import timezone

from tests.support.clock import Clock
from tests.support.sandbox import SandboxServer
from tests.syncjobs.engine.processes import drop_template, migrated_template


@pytest.fixture(scope="session")
def sandbox_server(tmp_path_factory):
    """One sandbox server process for the test session (one per xdist worker)."""
    server = SandboxServer(tmp_path_factory.mktemp("sandbox-server")).start()
    yield server
    server.stop()


@pytest.fixture
def sandbox(sandbox_server):
    """The sandbox server, with every fault switch cleared before and after the test."""
    for system in ("k3cloud", "fxiaoke"):
        sandbox_server.clear_faults(system)
    yield sandbox_server
    for system in ("k3cloud", "fxiaoke"):
        sandbox_server.clear_faults(system)


@pytest.fixture(scope="session")
def migrated_hub(django_db_setup, django_db_blocker, tmp_path_factory):
    """A migrated hub database that tests running hub processes copy (SQLite file or PostgreSQL
    template database, see ``tests.syncjobs.engine.processes``); dropped after the session."""
    with django_db_blocker.unblock():
        made = migrated_template(tmp_path_factory.mktemp("migrated-hub"))
    yield made
    with django_db_blocker.unblock():
        drop_template(made)


@pytest.fixture
def clock(time_machine):
    """The frozen wall clock (``tests.support.clock``); pass it where the product takes ``clock=``.

    Ask for it before fixtures that log a client in (``usefixtures``), or their sessions are
    dated by the real clock and expired on the frozen one.
    """
    return Clock(time_machine)


@pytest.fixture
def now(clock):
    """The frozen moment as an aware datetime, for the product's ``now=`` parameters."""
    return timezone.now()
