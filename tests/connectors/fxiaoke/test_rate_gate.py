import pytest

from connectors.errors import RateLimitedError
from connectors.fxiaoke.ratelimit import RateGate
from connectors.state import DatabaseState


@pytest.fixture
def state(db, clock):
    return DatabaseState(clock=clock)


def test_it_waits_for_the_next_permit(state, clock):
    gate = RateGate(state, sleep=clock.sleep)
    gate.acquire("fxiaoke:t:/cgi/crm/v2/data/query", 2, 10)
    gate.acquire("fxiaoke:t:/cgi/crm/v2/data/query", 2, 10)
    gate.acquire("fxiaoke:t:/cgi/crm/v2/data/query", 2, 10)
    assert clock.slept == [pytest.approx(10)]


def test_each_interface_has_its_own_bucket(state):
    gate = RateGate(state, sleep=pytest.fail)
    gate.acquire("fxiaoke:t:/cgi/crm/v2/data/query", 1, 10)
    gate.acquire("fxiaoke:t:/cgi/crm/v2/data/get", 1, 10)


def test_it_hands_the_work_back_after_three_periods_without_a_permit(state):
    slept = []
    gate = RateGate(state, sleep=slept.append)  # time stands still: no permit ever frees
    gate.acquire("fxiaoke:t:/cgi/crm/v2/data/query", 1, 10)
    with pytest.raises(RateLimitedError) as raised:
        gate.acquire("fxiaoke:t:/cgi/crm/v2/data/query", 1, 10)
    assert slept == [pytest.approx(10)] * 3
    assert raised.value.retry_after == pytest.approx(10)


def test_a_call_holds_its_permit_until_its_answer(state, clock):
    """Two calls of 6 s each under 2 per 10 s: the third waits for the first's answer + 10 s."""
    gate = RateGate(state, sleep=clock.sleep)
    bucket = "fxiaoke:t:/cgi/crm/v2/data/update"
    for _ in range(2):
        with gate.call(bucket, 2, 10, hold_seconds=60):
            clock.advance(6)
    with gate.call(bucket, 2, 10, hold_seconds=60):
        pass
    # Answers came at 6 s and 12 s; the first leaves the window at 16 s, 4 s after the second.
    assert clock.slept == [pytest.approx(4)]


def test_a_call_that_fails_still_gives_its_permit_back(state, clock):
    gate = RateGate(state, sleep=pytest.fail)
    bucket = "fxiaoke:t:/cgi/crm/v2/data/update"
    with pytest.raises(ConnectionError), gate.call(bucket, 1, 10, hold_seconds=600):
        raise ConnectionError("reset")
    clock.advance(10.1)
    with gate.call(bucket, 1, 10, hold_seconds=600):
        pass
