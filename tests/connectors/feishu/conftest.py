import pytest


@pytest.fixture
def robots(sandbox):
    """Fresh simulated robots (one per platform) and the server's base URL."""
    sandbox.clear_faults("im")
    yield sandbox.seed(systems=["im"])["im"]
    sandbox.clear_faults("im")
