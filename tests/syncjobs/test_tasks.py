"""Queue tasks: enqueued only after the transaction commits, with ids only, each calling one service."""

import pytest
from django.db import transaction

from syncjobs.engine.dispatch import EXECUTE_RUN
from syncjobs.models import SyncRun
from syncjobs.services import sync
from tests.support.queue import empty_queue, waiting_tasks
from tests.syncjobs.factories import make_flow

pytestmark = [pytest.mark.broker, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def empty_broker():
    empty_queue()  # Redis keeps what earlier tests queued


def queued():
    return [(func, tuple(args)) for func, args in waiting_tasks()]


def test_a_run_is_enqueued_after_commit_with_its_id_only():
    flow = make_flow()
    with transaction.atomic():
        run = sync.start_run(flow)
        assert queued() == []  # nothing leaves before the run row is committed

    assert queued() == [(EXECUTE_RUN, (run.pk,))]


def test_a_rolled_back_request_enqueues_nothing():
    flow = make_flow()
    with pytest.raises(RuntimeError), transaction.atomic():
        sync.start_run(flow)
        raise RuntimeError("the surrounding request failed")

    assert queued() == [] and not SyncRun.objects.exists()
