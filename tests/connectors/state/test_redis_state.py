"""Redis backend specifics: expiry on Redis's own clock, server-timed rate windows, prefixes."""

import time

import pytest

from connectors.state import LockTimeout, RedisState, get_state

pytestmark = pytest.mark.broker


@pytest.fixture
def server_timed(redis_url, redis_prefix):
    """A Redis backend that dates rate-limit grants by the Redis server's clock."""
    return RedisState(redis_url, prefix=redis_prefix)


def test_get_state_builds_a_redis_backend_when_configured(settings, redis_url):
    settings.CONNECTOR_STATE_BACKEND = "redis"
    settings.REDIS_URL = redis_url
    state = get_state()
    assert isinstance(state, RedisState)
    assert state is get_state()


def test_get_state_refuses_redis_without_a_url(settings):
    from django.core.exceptions import ImproperlyConfigured

    settings.CONNECTOR_STATE_BACKEND = "redis"
    settings.REDIS_URL = ""
    with pytest.raises(ImproperlyConfigured, match="REDIS_URL is empty"):
        get_state()


def test_values_expire_after_their_ttl(server_timed):
    server_timed.set("token", "t1", ttl_seconds=0.05)
    assert server_timed.get("token") == "t1"
    time.sleep(0.1)
    assert server_timed.get("token") is None


def test_incr_keeps_the_expiry_set_when_the_counter_started(server_timed):
    server_timed.incr("window", ttl_seconds=60)
    server_timed.incr("window", ttl_seconds=1)
    remaining_ms = server_timed.redis.pttl(server_timed.prefix + "window")
    assert 58_000 < remaining_ms <= 60_000


def test_a_lock_left_by_a_dead_holder_expires_after_its_ttl(server_timed):
    held = server_timed.lock("refresh", ttl_seconds=0.1, wait_seconds=0)
    held.__enter__()  # the holder "dies": it never leaves the block
    with pytest.raises(LockTimeout):
        with server_timed.lock("refresh", wait_seconds=0):
            pass
    with server_timed.lock("refresh", wait_seconds=1) as token:
        assert server_timed.redis.get(server_timed.prefix + "~lock:refresh") == token


def test_release_after_expiry_leaves_the_new_holders_lock_alone(server_timed, caplog):
    first = server_timed.lock("refresh", ttl_seconds=0.05, wait_seconds=0)
    first.__enter__()
    time.sleep(0.1)
    with server_timed.lock("refresh", ttl_seconds=30, wait_seconds=0) as second_token:
        first.__exit__(None, None, None)
        assert server_timed.redis.get(server_timed.prefix + "~lock:refresh") == second_token
    assert "expired before its holder released it" in caplog.text


def test_rate_window_runs_on_the_server_clock(server_timed):
    assert [server_timed.acquire_rate("b", 2, 0.3) for _ in range(2)] == [0.0, 0.0]
    wait = server_timed.acquire_rate("b", 2, 0.3)
    assert 0 < wait <= 0.3
    time.sleep(wait)
    assert server_timed.acquire_rate("b", 2, 0.3) == 0.0


def test_keys_stay_under_the_prefix(server_timed, redis_url):
    other = RedisState(redis_url, prefix=server_timed.prefix + "other:")
    server_timed.set("shared-name", 1)
    other.set("shared-name", 2)
    server_timed.count_call("fx", "query")
    assert (server_timed.get("shared-name"), other.get("shared-name")) == (1, 2)
    keys = {
        key.removeprefix(server_timed.prefix)
        for key in server_timed.redis.scan_iter(f"{server_timed.prefix}*")
    }
    assert keys == {"shared-name", "other:shared-name", f"~calls:fx:{server_timed.today().isoformat()}"}
