"""Database backend specifics: expiry on the injected clock, compare-and-set, query counts."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from connectors.models import ApiCallCounter, SharedStateEntry
from connectors.state import DatabaseState, get_state

pytestmark = [pytest.mark.django_db, pytest.mark.engine]


def test_get_state_builds_the_configured_backend_once(settings):
    settings.CONNECTOR_STATE_BACKEND = "database"
    settings.REDIS_URL = ""
    assert isinstance(get_state(), DatabaseState)
    assert get_state() is get_state()


def test_get_state_refuses_an_unknown_backend(settings):
    from django.core.exceptions import ImproperlyConfigured

    settings.CONNECTOR_STATE_BACKEND = "memcached"
    with pytest.raises(ImproperlyConfigured, match="'database' or 'redis'"):
        get_state()


def test_values_expire_after_their_ttl(db_state, clock):
    db_state.set("token", "t1", ttl_seconds=60)
    clock.advance(59)
    assert db_state.get("token") == "t1"
    clock.advance(1)
    assert db_state.get("token") is None


def test_set_without_ttl_clears_an_earlier_expiry(db_state, clock):
    db_state.set("token", "t1", ttl_seconds=5)
    db_state.set("token", "t2")
    clock.advance(3600)
    assert db_state.get("token") == "t2"


def test_incr_restarts_an_expired_counter_with_a_new_ttl(db_state, clock):
    assert db_state.incr("window", ttl_seconds=10) == 1
    clock.advance(5)
    assert db_state.incr("window", ttl_seconds=10) == 2
    clock.advance(5)
    assert db_state.incr("window", ttl_seconds=10) == 1
    clock.advance(9)
    assert db_state.get("window") == 1


def test_every_write_bumps_the_version_for_compare_and_set(db_state):
    db_state.set("k", 1)
    db_state.incr("k")
    db_state.set("k", 5)
    assert SharedStateEntry.objects.get(key="k").version == 2


def test_a_lock_left_by_a_dead_holder_expires_after_its_ttl(db_state, clock):
    from connectors.state import LockTimeout

    held = db_state.lock("refresh", ttl_seconds=30, wait_seconds=0)
    held.__enter__()  # the holder "dies": it never leaves the block
    with pytest.raises(LockTimeout):
        with db_state.lock("refresh", wait_seconds=0):
            pass
    clock.advance(30)
    with db_state.lock("refresh", wait_seconds=0) as token:
        assert SharedStateEntry.objects.get(key="~lock:refresh").owner == token


def test_release_after_expiry_leaves_the_new_holders_lock_alone(db_state, clock, caplog):
    first = db_state.lock("refresh", ttl_seconds=10, wait_seconds=0)
    first.__enter__()
    clock.advance(11)
    with db_state.lock("refresh", ttl_seconds=10, wait_seconds=0) as second_token:
        first.__exit__(None, None, None)
        assert SharedStateEntry.objects.get(key="~lock:refresh").owner == second_token
    assert "expired before its holder released it" in caplog.text


def test_a_released_lock_row_is_reused(db_state):
    for _ in range(3):
        with db_state.lock("reuse", wait_seconds=0):
            pass
    lock_row = SharedStateEntry.objects.get(key="~lock:reuse")
    assert (lock_row.owner, lock_row.version) == ("", 5)


def test_count_call_keeps_one_row_per_scope_day_and_operation(db_state):
    for _ in range(3):
        db_state.count_call("k3cloud:default", "save")
    assert ApiCallCounter.objects.get(scope="k3cloud:default", operation="save").count == 3


def test_hot_path_calls_cost_at_most_two_queries(db_state):
    # Clients call acquire_rate and count_call around every API call.
    db_state.acquire_rate("b", 100, 20)
    db_state.count_call("s", "op")
    db_state.set("k", "v")
    db_state.incr("n")
    checks = {
        "acquire_rate": lambda: db_state.acquire_rate("b", 100, 20),
        "count_call": lambda: db_state.count_call("s", "op"),
        "get": lambda: db_state.get("k"),
        "set": lambda: db_state.set("k", "w"),
        "incr": lambda: db_state.incr("n"),
    }
    costs = {}
    for name, call in checks.items():
        with CaptureQueriesContext(connection) as queries:
            call()
        costs[name] = len(queries)
    assert costs == {"acquire_rate": 2, "count_call": 1, "get": 1, "set": 1, "incr": 2}
