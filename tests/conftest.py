import pytest

from tests.support.sandbox import SandboxServer


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
