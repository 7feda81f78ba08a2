"""The circuit breaker on the shared database state, with an injected clock.

Two ``CircuitBreaker`` objects on one key stand for two worker processes: they share nothing
but the state (``tests/connectors/state/test_multiprocess.py`` runs real processes).
"""

import pytest

from connectors.breaker import CircuitBreaker
from connectors.errors import (
    CircuitOpenError,
    NotFoundError,
    OutcomeUnknownError,
    PermanentError,
    RateLimitedError,
    TransientError,
)
from connectors.state import DatabaseState, LockTimeout

pytestmark = [pytest.mark.django_db, pytest.mark.reliability]


@pytest.fixture
def state(db, clock):
    return DatabaseState(clock=clock)


@pytest.fixture
def make_breaker(state, clock):
    def make(key="k3cloud:default", **options):
        return CircuitBreaker(key, state=state, fail_max=3, reset_timeout=60, clock=clock, **options)

    return make


class Remote:
    """Stands in for a remote call: answers or raises what it is told, counting calls."""

    def __init__(self, outcome="ok"):
        self.outcome = outcome
        self.calls = 0

    def __call__(self):
        self.calls += 1
        if isinstance(self.outcome, Exception):
            raise self.outcome
        return self.outcome


def fail(breaker, times, error=None):
    remote = Remote(error or TransientError("HTTP 503 from the server", system="k3cloud"))
    for _ in range(times):
        with pytest.raises(type(remote.outcome)):
            breaker.call(remote)


def open_breaker(breaker):
    fail(breaker, breaker.fail_max)
    assert breaker.state_name() == "open"


def test_closed_breaker_passes_calls_and_results_through(make_breaker):
    breaker = make_breaker()
    assert breaker.call(Remote({"Id": 7})) == {"Id": 7}
    assert breaker.state_name() == "closed"


def test_it_opens_after_fail_max_consecutive_transient_failures(make_breaker):
    breaker = make_breaker()
    fail(breaker, 2)
    assert breaker.state_name() == "closed"
    fail(breaker, 1)
    assert breaker.state_name() == "open"


def test_open_breaker_refuses_without_calling_out_and_says_when_to_retry(make_breaker, clock):
    breaker = make_breaker()
    open_breaker(breaker)
    clock.advance(15)
    remote = Remote()
    with pytest.raises(CircuitOpenError) as raised:
        breaker.call(remote)
    assert remote.calls == 0
    assert raised.value.retry_after == pytest.approx(45)
    assert raised.value.system == "k3cloud"
    assert "k3cloud:default" in str(raised.value)


def test_a_success_ends_the_run_of_failures(make_breaker):
    breaker = make_breaker()
    fail(breaker, 2)
    breaker.call(Remote())
    fail(breaker, 2)
    assert breaker.state_name() == "closed"


def test_permanent_errors_do_not_trip_it_and_end_the_run_of_failures(make_breaker):
    breaker = make_breaker()
    fail(breaker, 2)
    fail(breaker, 5, PermanentError("FNumber is required", system="k3cloud", field="FNumber"))
    fail(breaker, 2, NotFoundError("no such customer", system="k3cloud"))
    assert breaker.state_name() == "closed"


def test_outcome_unknown_and_rate_limited_count_as_failures(make_breaker):
    breaker = make_breaker()
    fail(breaker, 1, OutcomeUnknownError("answer lost after Save", system="k3cloud"))
    fail(breaker, 1, RateLimitedError("too many calls", system="k3cloud", retry_after=5))
    fail(breaker, 1)
    assert breaker.state_name() == "open"


def test_lock_timeouts_and_bugs_do_not_count_as_remote_failures(make_breaker):
    breaker = make_breaker()
    fail(breaker, 5, LockTimeout("k3cloud:session", 30))
    fail(breaker, 5, KeyError("Result"))
    assert breaker.state_name() == "closed"


def test_every_process_sees_the_same_breaker(make_breaker):
    worker_a, worker_b = make_breaker(), make_breaker()
    fail(worker_a, 2)
    fail(worker_b, 1)
    assert worker_a.state_name() == worker_b.state_name() == "open"
    assert make_breaker("fxiaoke:default").state_name() == "closed"


def test_it_is_half_open_after_the_reset_timeout(make_breaker, clock):
    breaker = make_breaker()
    open_breaker(breaker)
    clock.advance(59.9)
    assert breaker.state_name() == "open"
    clock.advance(0.1)
    assert breaker.state_name() == "half_open"


def test_exactly_one_caller_gets_the_half_open_probe(make_breaker, clock):
    prober, other = make_breaker(), make_breaker()
    open_breaker(prober)
    clock.advance(60)
    refused = []

    def probe():
        # While the probe is in flight, another process is turned away without calling out.
        with pytest.raises(CircuitOpenError) as raised:
            other.call(Remote())
        refused.append(raised.value.retry_after)
        return "pong"

    assert prober.call(probe) == "pong"
    assert refused == [pytest.approx(60)]
    assert other.state_name() == "closed"


def test_a_failed_probe_opens_the_breaker_for_another_reset_timeout(make_breaker, clock):
    breaker = make_breaker()
    open_breaker(breaker)
    clock.advance(60)
    fail(breaker, 1)
    assert breaker.state_name() == "open"
    clock.advance(59)
    with pytest.raises(CircuitOpenError):
        breaker.call(Remote())
    clock.advance(1)
    assert breaker.call(Remote("back")) == "back"
    assert breaker.state_name() == "closed"


def test_after_closing_it_again_needs_fail_max_failures(make_breaker, clock):
    breaker = make_breaker()
    open_breaker(breaker)
    clock.advance(60)
    breaker.call(Remote())
    fail(breaker, 2)
    assert breaker.state_name() == "closed"


def test_a_probe_whose_process_died_goes_stale_after_the_reset_timeout(make_breaker, state, clock):
    breaker = make_breaker()
    open_breaker(breaker)
    clock.advance(60)
    breaker._claim_probe()  # the prober claims the probe and dies before calling out
    clock.advance(59)
    with pytest.raises(CircuitOpenError):
        breaker.call(Remote())
    clock.advance(1)
    assert breaker.call(Remote("back")) == "back"
    assert breaker.state_name() == "closed"


def test_a_probe_that_breaks_on_our_side_frees_the_probe_at_once(make_breaker, clock):
    breaker = make_breaker()
    open_breaker(breaker)
    clock.advance(60)
    fail(breaker, 1, KeyError("Result"))
    assert breaker.state_name() == "half_open"
    assert breaker.call(Remote("back")) == "back"


def test_record_failure_and_record_success_drive_it_without_call(make_breaker, clock):
    breaker = make_breaker()
    for _ in range(3):
        breaker.record_failure()
    assert breaker.state_name() == "open"
    clock.advance(60)
    breaker._claim_probe()
    breaker.record_success()
    assert breaker.state_name() == "closed"


def test_a_late_success_of_an_old_call_does_not_close_an_open_breaker(make_breaker):
    breaker = make_breaker()
    open_breaker(breaker)
    breaker.record_success()
    assert breaker.state_name() == "open"


def test_a_closed_call_costs_two_queries(make_breaker, django_assert_num_queries):
    breaker = make_breaker()
    with django_assert_num_queries(2):
        breaker.call(Remote())
