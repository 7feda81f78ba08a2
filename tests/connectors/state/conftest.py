import pytest

from connectors.state import DatabaseState


class FakeClock:
    """A settable wall clock (seconds since the epoch) for expiry and rate-limit tests."""

    def __init__(self, now=1_800_000_000.0):
        self.now = now

    def __call__(self):
        return self.now

    def advance(self, seconds):
        self.now += seconds


@pytest.fixture
def clock():
    return FakeClock()


@pytest.fixture
def db_state(db, clock):
    return DatabaseState(using="default", clock=clock)


@pytest.fixture(params=["database"])
def state(request, clock):
    request.getfixturevalue("db")
    return DatabaseState(using="default", clock=clock)
