"""A run meeting an open circuit breaker: nothing is sent, no attempt is spent, the batch waits."""

import random
from datetime import timedelta

import pytest
from django.utils import timezone

from connectors.guard import connector_breaker
from syncjobs.engine import runs
from syncjobs.engine.dispatch import InlineDispatcher
from syncjobs.models import BatchStatus, RunStatus, SyncBatch, SyncRecord, Trigger
from syncjobs.services import sync
from tests.syncjobs.engine.scenarios import Hub

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fast_client_retries(settings):
    settings.INTEGRATION_HUB_RETRY_BASE_SECONDS = 0.01
    settings.INTEGRATION_HUB_RETRY_CAP_SECONDS = 0.05
    settings.INTEGRATION_HUB_BREAKER_FAIL_MAX = 3
    settings.INTEGRATION_HUB_BREAKER_RESET_SECONDS = 600


@pytest.fixture
def hub(sandbox):
    sandbox.set_faults("fxiaoke", rate_limit=100000, token_limit_per_minute=1000)
    return Hub(sandbox, size=4)


def open_breaker(connector):
    breaker = connector_breaker(connector.connector_key)
    for _ in range(breaker.fail_max):
        breaker.record_failure()
    assert breaker.state_name() == "open"


def test_an_open_target_breaker_defers_the_batch_without_calls_or_attempts(hub, settings):
    flow = hub.customers()
    open_breaker(hub.erp)
    mark = hub.mark("k3cloud")
    run = runs.create_run(flow, Trigger.MANUAL)

    run = sync.execute_run(run.pk, dispatcher=InlineDispatcher(), sleep=lambda s: None, rng=random.Random(1))

    assert run.status == RunStatus.RUNNING  # left for later, nothing failed
    assert hub.calls("k3cloud", after=mark) == []  # not one call reached the ERP
    assert not SyncRecord.objects.filter(run=run).exists()
    batch = SyncBatch.objects.get(run=run)
    assert batch.status == BatchStatus.PENDING and batch.not_before > timezone.now()

    # The cool-down is over and the ERP answers: the batch goes through, each record on its first attempt.
    settings.INTEGRATION_HUB_BREAKER_RESET_SECONDS = 0.01
    later = timezone.now() + timedelta(seconds=700)
    run = sync.execute_run(
        run.pk, dispatcher=InlineDispatcher(), clock=lambda: later, sleep=lambda s: None, rng=random.Random(1)
    )

    assert run.status == RunStatus.SUCCEEDED, run.message
    attempts = SyncRecord.objects.filter(run=run).values_list("attempts", flat=True)
    assert len(attempts) == 4 and max(attempts) == 1  # an adopted, unchanged customer needs no write
    assert connector_breaker(hub.erp.connector_key).state_name() == "closed"
