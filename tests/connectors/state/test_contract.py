"""The behaviour every shared-state backend promises, run against each backend.

The ``state`` fixture (conftest) yields a database backend and, when Redis is reachable, a
Redis backend under a unique key prefix; both use the frozen ``clock``.
"""

import datetime as dt

import pytest

from connectors.state import LockTimeout


def test_get_returns_none_for_a_missing_key(state):
    assert state.get("missing") is None


def test_set_then_get_round_trips_json_values(state):
    value = {"token": "abc", "expires_in": 7200, "scopes": ["crm", "erp"], "ok": True}
    state.set("fxiaoke:token", value)
    assert state.get("fxiaoke:token") == value


def test_set_overwrites_the_previous_value(state):
    state.set("session", "first")
    state.set("session", "second")
    assert state.get("session") == "second"


def test_delete_forgets_the_key_and_ignores_missing_keys(state):
    state.set("session", "value")
    state.delete("session")
    state.delete("never-set")
    assert state.get("session") is None


def test_incr_starts_from_zero_and_returns_the_new_total(state):
    assert state.incr("calls") == 1
    assert state.incr("calls", 5) == 6
    assert state.get("calls") == 6


def test_incr_continues_from_a_value_set_before(state):
    state.set("calls", 40)
    assert state.incr("calls", 2) == 42


def test_lock_is_exclusive_until_released(state):
    with state.lock("token-refresh", ttl_seconds=30, wait_seconds=0):
        with pytest.raises(LockTimeout):
            with state.lock("token-refresh", ttl_seconds=30, wait_seconds=0):
                pytest.fail("the lock was taken twice")
    with state.lock("token-refresh", ttl_seconds=30, wait_seconds=0) as token:
        assert token


def test_lock_timeout_names_the_lock_and_is_retryable(state):
    from connectors.errors import TransientError

    with state.lock("busy", wait_seconds=0):
        with pytest.raises(LockTimeout) as raised:
            with state.lock("busy", wait_seconds=0.05):
                pass
    assert isinstance(raised.value, TransientError)
    assert "busy" in str(raised.value)


def test_lock_name_does_not_collide_with_a_value_of_the_same_name(state):
    state.set("k3cloud:session", "sid")
    with state.lock("k3cloud:session", wait_seconds=0):
        assert state.get("k3cloud:session") == "sid"
    assert state.get("k3cloud:session") == "sid"


def test_different_locks_do_not_block_each_other(state):
    with state.lock("a", wait_seconds=0), state.lock("b", wait_seconds=0):
        assert state.get("a") is None


def test_acquire_rate_grants_up_to_the_limit_then_says_how_long_to_wait(state, clock):
    grants = [state.acquire_rate("fx:query", 3, 10) for _ in range(3)]
    assert grants == [0.0, 0.0, 0.0]
    clock.advance(4)
    assert state.acquire_rate("fx:query", 3, 10) == pytest.approx(6.0)


def test_acquire_rate_slides_instead_of_refilling_all_at_once(state, clock):
    assert state.acquire_rate("bucket", 2, 10) == 0.0
    clock.advance(6)
    assert state.acquire_rate("bucket", 2, 10) == 0.0
    clock.advance(4.5)
    # The first grant left the window; the second (6 s ago) still counts.
    assert state.acquire_rate("bucket", 2, 10) == 0.0
    assert state.acquire_rate("bucket", 2, 10) == pytest.approx(5.5)


def test_acquire_rate_keeps_buckets_apart(state):
    assert state.acquire_rate("one", 1, 10) == 0.0
    assert state.acquire_rate("two", 1, 10) == 0.0
    assert state.acquire_rate("one", 1, 10) > 0


def test_a_call_in_flight_holds_its_place_until_answered_then_counts_from_the_answer(state, clock):
    assert state.acquire_rate("fx:update", 1, 10, permit="slow", hold_seconds=300) == 0.0
    clock.advance(15)  # still unanswered a period and a half later
    assert state.acquire_rate("fx:update", 1, 10) == pytest.approx(10)
    state.finish_rate_call("fx:update", "slow", 10)
    clock.advance(9.5)
    assert state.acquire_rate("fx:update", 1, 10) == pytest.approx(0.5)
    clock.advance(0.6)
    assert state.acquire_rate("fx:update", 1, 10) == 0.0


def test_a_call_never_answered_frees_its_place_when_its_hold_ends(state, clock):
    assert state.acquire_rate("fx:update", 1, 10, permit="lost", hold_seconds=30) == 0.0
    clock.advance(25)
    assert state.acquire_rate("fx:update", 1, 10) == pytest.approx(5)
    clock.advance(5.1)
    assert state.acquire_rate("fx:update", 1, 10) == 0.0


def test_an_answer_after_the_hold_ended_still_counts(state, clock):
    assert state.acquire_rate("fx:update", 2, 10, permit="late", hold_seconds=5) == 0.0
    clock.advance(6)
    assert state.acquire_rate("fx:update", 2, 10) == 0.0
    state.finish_rate_call("fx:update", "late", 10)
    assert state.acquire_rate("fx:update", 2, 10) == pytest.approx(10)


def test_acquire_rate_rejects_a_limit_below_one(state):
    with pytest.raises(ValueError, match="at least 1"):
        state.acquire_rate("bucket", 0, 10)


def test_count_call_adds_per_operation_and_day(state):
    state.count_call("fxiaoke:default", "query")
    state.count_call("fxiaoke:default", "query", 2)
    state.count_call("fxiaoke:default", "create")
    state.count_call("k3cloud:default", "save")
    assert state.call_counts("fxiaoke:default") == {"query": 3, "create": 1}
    assert state.call_counts("k3cloud:default") == {"save": 1}
    assert state.call_counts("unknown") == {}


def test_count_call_starts_a_new_day_at_local_midnight(state, clock):
    # 2027-01-14 23:59:30 in Asia/Shanghai (UTC+8) is 15:59:30 UTC.
    clock.move_to(dt.datetime(2027, 1, 14, 15, 59, 30, tzinfo=dt.UTC))
    state.count_call("fx", "query")
    clock.advance(60)
    state.count_call("fx", "query", 4)
    assert state.call_counts("fx", day=dt.date(2027, 1, 14)) == {"query": 1}
    assert state.call_counts("fx", day=dt.date(2027, 1, 15)) == {"query": 4}
    assert state.call_counts("fx") == {"query": 4}
