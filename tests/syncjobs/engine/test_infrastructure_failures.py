"""The hub's own infrastructure failing is named as such, not blamed on the remote system."""

import random
import socket

import pytest

from connectors import state
from syncjobs.models import RunStatus
from syncjobs.services import sync
from tests.syncjobs.engine.scenarios import Hub


def closed_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]  # nothing listens on it once the probe is closed


@pytest.fixture
def redis_down(settings):
    port = closed_port()
    settings.CONNECTOR_STATE_BACKEND = "redis"
    settings.REDIS_URL = f"redis://127.0.0.1:{port}/0"
    state._instances.clear()
    yield port
    state._instances.clear()


@pytest.mark.django_db
def test_a_run_whose_shared_state_redis_is_down_says_so_and_names_the_server(sandbox, redis_down):
    hub = Hub(sandbox)
    flow = hub.customers()

    run = sync.run_now(flow, sleep=lambda s: None, rng=random.Random(1))

    assert run.status == RunStatus.FAILED
    assert f"Redis at 127.0.0.1:{redis_down} (REDIS_URL)" in run.message
    assert "start Redis or correct REDIS_URL" in run.message


def test_an_error_that_is_not_about_redis_is_left_to_its_own_message():
    assert state.unreachable_server(ValueError("no")) is None
