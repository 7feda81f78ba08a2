"""One retry loop and one backoff: attempts, error types, Retry-After, rounds of records."""

import random
from datetime import timedelta

import pytest

from connectors.errors import PermanentError, RateLimitedError, TransientError
from connectors.retrying import RetryPolicy, capped_exponential, full_jitter


def policy(sleeps, **overrides):
    values = {"max_attempts": 4, "base_seconds": 1.0, "cap_seconds": 8.0, "sleep": sleeps.append}
    return RetryPolicy(**{**values, "rng": random.Random(3), **overrides})


def failing(errors, answer="done"):
    """An operation that raises ``errors`` one by one, then answers."""
    calls = []

    def operation():
        calls.append(len(calls) + 1)
        if errors:
            raise errors.pop(0)
        return answer

    return operation, calls


def test_capped_exponential_doubles_up_to_the_cap_in_seconds_or_timedeltas():
    assert [capped_exponential(n, 1.0, 5.0) for n in range(1, 6)] == [1.0, 2.0, 4.0, 5.0, 5.0]
    assert capped_exponential(3, timedelta(minutes=1), timedelta(hours=1)) == timedelta(minutes=4)


def test_full_jitter_stays_below_the_ceiling_and_honours_retry_after_up_to_the_cap():
    rng = random.Random(1)
    waits = [full_jitter(rng, n, 1.0, 8.0) for n in range(1, 8)]

    assert all(0 <= wait <= min(8.0, 2 ** (n - 1)) for n, wait in enumerate(waits, 1))
    assert full_jitter(rng, 1, 1.0, 8.0, retry_after=5) == 5.0
    assert full_jitter(rng, 1, 1.0, 8.0, retry_after=60) == 8.0


def test_transient_errors_are_retried_with_waits_until_the_call_succeeds():
    sleeps, seen = [], []
    operation, calls = failing([TransientError("busy"), TransientError("busy")])

    answer = policy(sleeps).run(operation, on_retry=lambda error, attempt: seen.append(attempt))

    assert answer == "done"
    assert calls == [1, 2, 3]
    assert seen == [1, 2]
    assert len(sleeps) == 2 and all(type(wait) is float for wait in sleeps)


def test_the_last_error_is_raised_when_attempts_run_out():
    sleeps = []
    last = TransientError("still busy")
    operation, calls = failing([TransientError("busy")] * 3 + [last])

    with pytest.raises(TransientError) as raised:
        policy(sleeps).run(operation)

    assert raised.value is last
    assert calls == [1, 2, 3, 4]
    assert len(sleeps) == 3


def test_errors_of_other_types_are_raised_at_once():
    sleeps = []
    operation, calls = failing([PermanentError("no such field")])

    with pytest.raises(PermanentError):
        policy(sleeps).run(operation)

    assert calls == [1] and sleeps == []


def test_retry_if_narrows_the_errors_retried():
    sleeps = []
    operation, calls = failing([TransientError("busy", code="lock")])

    with pytest.raises(TransientError):
        policy(sleeps).run(operation, retry_if=lambda error: error.code != "lock")

    assert calls == [1] and sleeps == []


def test_a_retry_after_the_system_asked_for_is_waited_out():
    sleeps = []
    operation, _calls = failing([RateLimitedError("too fast", retry_after=6)])

    policy(sleeps).run(operation)

    assert sleeps == [6.0]


def test_the_waits_draw_the_same_jitter_as_the_backoff_itself():
    sleeps = []
    operation, _calls = failing([TransientError("busy")] * 3)

    policy(sleeps).run(operation)

    rng = random.Random(3)
    assert sleeps == [full_jitter(rng, n, 1.0, 8.0) for n in (1, 2, 3)]


def test_running_out_of_attempts_draws_no_jitter_for_a_wait_never_slept():
    sleeps, shared = [], random.Random(3)
    retries = policy(sleeps, max_attempts=2, rng=shared)
    operation, _calls = failing([TransientError("busy")] * 2)

    with pytest.raises(TransientError):
        retries.run(operation)

    fresh = random.Random(3)
    fresh.random()  # the one wait that was slept
    assert shared.random() == fresh.random()


def test_rounds_go_again_with_a_wait_until_a_round_has_nothing_left():
    sleeps, beats, left = [], [], [3, 2, 0]

    def round_(attempt):
        left.pop(0)
        return (5 if attempt == 1 else 0) if left else None

    policy(sleeps).rounds(round_, before_sleep=lambda: beats.append("before"))

    assert len(sleeps) == 2 and sleeps[0] == 5.0
    assert beats == ["before", "before"]
