import random
import uuid

import pytest

from connectors.fxiaoke import FxiaokeClient, FxiaokeConfig
from connectors.retrying import RetryPolicy
from connectors.state import DatabaseState
from tests.connectors.fxiaoke.recorder import RecordingCrm


@pytest.fixture
def tenant(sandbox):
    """A fresh Fxiaoke sandbox tenant: its credentials, corpId and integration user."""
    return sandbox.seed(size=8, seed=42, systems=["fxiaoke"])["fxiaoke"]


def tenant_config(sandbox, tenant, **overrides):
    values = {
        "base_url": sandbox.base_url + tenant["base_url"],
        "app_id": tenant["app_id"],
        "app_secret": tenant["app_secret"],
        "permanent_code": tenant["permanent_code"],
        "open_user_id": tenant["open_user_id"],
        # Each client of a test its own key, so buckets and tokens never leak between tests.
        "connector_key": f"fxiaoke:test:{uuid.uuid4().hex[:12]}",
        "timeout": 5,
    }
    return FxiaokeConfig(**{**values, **overrides})


@pytest.fixture
def sleeps():
    """Every wait the client asked for (retry backoff, rate-limit waits), without waiting."""
    return []


@pytest.fixture
def make_client(sandbox, tenant, db, sleeps):
    """Build clients of the seeded tenant over real HTTP, with injected sleeps."""
    clients = []

    def make(*, state=None, retry_policy=None, **overrides):
        policy = retry_policy or RetryPolicy(
            max_attempts=4, base_seconds=0.01, cap_seconds=0.1, sleep=sleeps.append, rng=random.Random(5)
        )
        client = FxiaokeClient(
            tenant_config(sandbox, tenant, **overrides), state=state or DatabaseState(), retry_policy=policy
        )
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()


@pytest.fixture
def client(make_client):
    return make_client()


@pytest.fixture
def crm():
    """A recording stand-in for the CRM that answers the replies a test gives it."""
    recorder = RecordingCrm().start()
    yield recorder
    recorder.stop()
