"""State every worker process shares: cached tokens and sessions, locks, rate-limit buckets,
circuit-breaker state and per-day API call counters.

``get_state()`` returns this process's instance of the backend named by
``settings.CONNECTOR_STATE_BACKEND``: ``"database"`` (compare-and-set rows, SQLite or
PostgreSQL; the default) or ``"redis"`` (atomic commands and Lua scripts at ``REDIS_URL``).
Both keep everything outside the process, so every worker sees the same state.
"""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from connectors.state.base import LockTimeout, SharedState
from connectors.state.database import DatabaseState
from connectors.state.redis_state import RedisState

__all__ = ["DatabaseState", "LockTimeout", "RedisState", "SharedState", "get_state"]

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
