"""State every worker process shares: cached tokens and sessions, locks, rate-limit buckets,
circuit-breaker state and per-day API call counters.

``get_state()`` returns this process's instance of the backend named by
``settings.CONNECTOR_STATE_BACKEND``: ``"database"`` (compare-and-set rows, SQLite or
PostgreSQL; the default) or ``"redis"`` (atomic commands and Lua scripts at ``REDIS_URL``).
Both keep everything outside the process, so every worker sees the same state.
"""

import redis
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from connectors.state.base import LockTimeout, SharedState
from connectors.state.database import DatabaseState
from connectors.state.redis_state import RedisState

__all__ = ["DatabaseState", "LockTimeout", "RedisState", "SharedState", "get_state", "unreachable_server"]

_instances = {}


def get_state():
    """The shared-state backend configured in settings, built once per process."""
    choice = (settings.CONNECTOR_STATE_BACKEND, settings.REDIS_URL)
    if choice not in _instances:
        _instances[choice] = _build(*choice)
    return _instances[choice]


def _build(backend, redis_url):
    if backend == "database":
        return DatabaseState()
    if backend == "redis":
        if not redis_url:
            raise ImproperlyConfigured(
                "INTEGRATION_HUB_CONNECTOR_STATE_BACKEND is 'redis' but REDIS_URL is empty; "
                "set REDIS_URL or choose the 'database' backend."
            )
        return RedisState(redis_url)
    raise ImproperlyConfigured(
        f"INTEGRATION_HUB_CONNECTOR_STATE_BACKEND is {backend!r}; use 'database' or 'redis'."
    )


def unreachable_server(error):
    """``host:port`` of the Redis server the shared state could not reach, if that caused ``error``.

    A closed Redis port surfaces inside whatever call needed a token, a session or a rate
    permit (a CRM read, an ERP save): naming the server keeps the person from blaming the
    remote system. None when ``error`` (or what caused it) is not a Redis connection failure.
    """
    seen = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        if isinstance(error, redis.exceptions.ConnectionError | redis.exceptions.TimeoutError):
            return _redis_address()
        error = error.__cause__ or error.__context__
    return None


def _redis_address():
    state = get_state()
    if not isinstance(state, RedisState):
        return "?"
    kwargs = state.redis.connection_pool.connection_kwargs
    return f"{kwargs.get('host', 'localhost')}:{kwargs.get('port', 6379)}"
