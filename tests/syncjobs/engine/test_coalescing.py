"""Coalesced triggers: requests arriving at once leave one queued run, and one follow-up of a running one."""

import json
import threading
import time

import pytest
from django.db import OperationalError, connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from syncjobs import tasks
from syncjobs.engine import runs
from syncjobs.engine.dispatch import EXECUTE_RUN, InlineDispatcher
from syncjobs.engine.runner import Runner
from syncjobs.models import RunStatus, SyncRun, Trigger, WebhookEvent
from syncjobs.operations.webhooks import sign
from syncjobs.services import sync
from tests.support.queue import empty_queue, waiting_tasks
from tests.syncjobs.factories import make_flow

pytestmark = [pytest.mark.engine, pytest.mark.broker, pytest.mark.django_db(transaction=True)]

SECRET = "whsec-coalescing-5e2a"
DELIVERIES = 8


@pytest.fixture(autouse=True)
def secrets(settings):
    settings.INTEGRATION_HUB_WEBHOOK_SECRETS = [SECRET]
    empty_queue()  # Redis keeps what earlier tests queued


@pytest.fixture
def flow():
    return make_flow("customers", enabled=True)


def deliver(n):
    body = json.dumps({"event_id": f"evt-{n}", "object": "AccountObj", "ids": [f"a{n}", "a0"]}).encode()
    stamp = int(time.time())
    headers = {"X-Hub-Timestamp": str(stamp), "X-Hub-Signature": sign(SECRET, stamp, body)}
    response = Client().post(reverse("sync-webhook"), body, content_type="application/json", headers=headers)
    # 200 "duplicate": a resent delivery whose first attempt was stored (see ``at_once``).
    assert response.status_code in (200, 202), response.content


def at_once(*calls):
    """Run every call in its own thread (and database connection), released together.

    On PostgreSQL they truly overlap. SQLite's in-memory test database shares one cache
    between threads, which refuses a second writer at once instead of waiting as a file
    database does; such a refused call rolled back whole and is sent again, as a sender
    retries a failed delivery.
    """
    barrier, errors = threading.Barrier(len(calls)), []

    def call(function):
        try:
            barrier.wait(10)
            for _attempt in range(200):
                try:
                    return function()
                except OperationalError:
                    if connection.vendor != "sqlite":
                        raise
                    connection.close()
                    time.sleep(0.01)
        except BaseException as error:  # noqa: BLE001 - reported by the test below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=call, args=(function,)) for function in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors, errors


def tick(flow):
    """The schedule's tick, in one transaction as ``at_once`` expects of what it sends again.

    The tick joins the queued run and then hands it to the queue: two writes. On SQLite the
    second may be the one refused, and without the transaction the join would stay counted
    when the tick is sent again.
    """
    with transaction.atomic():
        return tasks.run_flow_on_schedule(flow.pk)


def eight_deliveries_and_a_tick(flow):
    deliveries = [lambda n=n: deliver(n) for n in range(1, DELIVERIES + 1)]
    at_once(*deliveries, lambda: tick(flow))


def delivered_ids():
    return {"a0", *(f"a{n}" for n in range(1, DELIVERIES + 1))}


def test_eight_deliveries_and_a_schedule_tick_join_the_queued_run(flow):
    queued = sync.start_run(flow, Trigger.SCHEDULE)

    eight_deliveries_and_a_tick(flow)

    run = SyncRun.objects.get()
    assert run.pk == queued.pk and run.status == RunStatus.QUEUED
    assert set(run.options["also_ids"]) == delivered_ids() and not run.options.get("full")
    assert run.request_count == 1 + DELIVERIES + 1
    # Each event is recorded once, naming the run it joined.
    assert sorted(WebhookEvent.objects.values_list("runs", flat=True)) == [[run.pk]] * DELIVERIES


def test_eight_deliveries_at_once_with_nothing_queued_queue_one_run_of_all_their_ids(flow):
    at_once(*[lambda n=n: deliver(n) for n in range(1, DELIVERIES + 1)])

    run = SyncRun.objects.get()
    assert (run.trigger, run.request_count) == (Trigger.WEBHOOK, DELIVERIES)
    assert set(run.options["ids"]) == delivered_ids()
    # Handed to a worker when queued, not again by each delivery that joined it. On SQLite's
    # in-memory test database the hand-over itself may be the write refused after the run's
    # commit (see ``at_once``): then no task is queued and the reconciler wakes the run.
    handed = [tuple(args) for func, args in waiting_tasks() if func == EXECUTE_RUN]
    assert handed == [(run.pk,)] or (connection.vendor == "sqlite" and handed == [])


def test_eight_deliveries_and_a_tick_while_a_run_is_running_leave_one_follow_up(flow):
    running = sync.start_run(flow, Trigger.SCHEDULE, dispatcher=InlineDispatcher())
    now = timezone.now()
    assert runs.take_over(running, "worker-1", now, 120) == runs.LEADER
    assert runs.acquire_lease(flow.pk, running.pk, now, 120)

    eight_deliveries_and_a_tick(flow)

    follow_up = SyncRun.objects.exclude(pk=running.pk).get()
    assert follow_up.status == RunStatus.QUEUED and follow_up.joinable
    assert delivered_ids() <= set(follow_up.options.get("ids") or follow_up.options.get("also_ids"))
    # Its worker leaves it queued while the running run holds the flow: one runs at a time.
    Runner(follow_up.pk, dispatcher=InlineDispatcher(), sleep=lambda s: None).execute()
    follow_up.refresh_from_db()
    assert follow_up.status == RunStatus.QUEUED and follow_up.started_at is None
    assert SyncRun.objects.get(pk=running.pk).status == RunStatus.RUNNING


def test_a_re_run_of_records_joins_the_queued_webhook_run(flow):
    deliver(1)
    webhook_run = SyncRun.objects.get()

    joined = sync.start_run(flow, Trigger.RETRY, ids=["a7"], dispatcher=InlineDispatcher())
    incremental = sync.start_run(flow, Trigger.MANUAL, dispatcher=InlineDispatcher())

    assert joined.pk == incremental.pk == webhook_run.pk
    run = SyncRun.objects.get()
    assert run.options == {"also_ids": ["a1", "a0", "a7"]}  # now incremental, still reading the ids
    assert run.request_count == 3
