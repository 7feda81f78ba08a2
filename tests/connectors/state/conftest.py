import uuid

import pytest
import redis
from django.conf import settings

from connectors.state import DatabaseState, RedisState

LOCAL_REDIS_URL = "redis://127.0.0.1:6379/0"


def reachable_redis_url():
    """The Redis to test against (settings, then the local default), or None when down."""
    url = settings.REDIS_URL or LOCAL_REDIS_URL
    client = redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1)
    try:
        client.ping()
    except redis.RedisError:
        return None
    finally:
        client.close()
    return url


@pytest.fixture(scope="session")
def redis_url():
    url = reachable_redis_url()
    if url is None:
        pytest.skip(
            f"Redis is not reachable at {settings.REDIS_URL or LOCAL_REDIS_URL}; start it to run these tests"
        )
    return url


@pytest.fixture
def redis_prefix(redis_url):
    """A key prefix of this test's own; its keys are removed afterwards."""
    prefix = f"test:{uuid.uuid4().hex}:"
    yield prefix
    client = redis.Redis.from_url(redis_url)
    keys = list(client.scan_iter(match=f"{prefix}*"))
    if keys:
        client.delete(*keys)
    client.close()


@pytest.fixture
def db_state(db, clock):
    return DatabaseState(using="default", clock=clock)


@pytest.fixture
def redis_state(redis_url, redis_prefix, clock):
    return RedisState(redis_url, prefix=redis_prefix, clock=clock)


@pytest.fixture(
    params=[
        pytest.param("db", marks=[pytest.mark.engine, pytest.mark.django_db]),
        pytest.param("redis", marks=pytest.mark.broker),
    ]
)
def state(request):
    """Each backend in turn, on the frozen ``clock``."""
    return request.getfixturevalue(f"{request.param}_state")
