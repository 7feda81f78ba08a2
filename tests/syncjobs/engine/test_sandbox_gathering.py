"""A run queued by the CRM's push waits a few seconds, so the pushes of those seconds share its read."""

import json
import random
import time

import pytest

from syncjobs.engine.dispatch import InlineDispatcher
from syncjobs.models import SyncRun
from syncjobs.operations import webhooks
from syncjobs.services import sync
from tests.syncjobs.engine.scenarios import Hub

SECRET = "whsec-sandbox-gather-3b9e"


@pytest.fixture(autouse=True)
def secrets(settings):
    settings.INTEGRATION_HUB_WEBHOOK_SECRETS = [SECRET]


@pytest.fixture
def hub(db, sandbox):
    sandbox.set_faults("fxiaoke", rate_limit=100000, token_limit_per_minute=1000)
    return Hub(sandbox, size=4)


def push(hub, ids, event_id):
    body = json.dumps({"event_id": event_id, "object": "AccountObj", "connector": hub.crm.slug, "ids": ids})
    stamp = int(time.time())
    return webhooks.accept(body.encode(), str(stamp), webhooks.sign(SECRET, stamp, body.encode()))


def execute(run_id, sleep):
    return sync.execute_run(run_id, dispatcher=InlineDispatcher(), sleep=sleep, rng=random.Random(1))


def account_queries(hub, mark):
    return [call for call in hub.calls("fxiaoke", after=mark) if "query" in call["operation"]]


def test_an_edit_pushed_while_the_run_gathers_joins_it_and_both_are_read_in_one_call(hub):
    hub.customers(enabled=True)
    first, second = sorted(hub.records(hub.crm, "AccountObj", ["name"]))[:2]
    queued = push(hub, [first], "crm-edit-1").runs
    waits = []

    def meanwhile(seconds):  # the worker's wait, during which a second person edits
        waits.append(seconds)
        if len(waits) == 1:
            assert push(hub, [second], "crm-edit-2").runs == queued

    mark = hub.mark("fxiaoke")
    run = execute(queued[0], meanwhile)

    assert 0 < waits[0] <= 3.0  # the default window, less what the run already waited
    assert (SyncRun.objects.count(), run.read_count, run.failed_count) == (1, 2, 0)
    assert len(account_queries(hub, mark)) == 1


def test_a_flow_without_a_window_starts_its_webhook_run_at_once(hub):
    hub.customers(enabled=True, options={"gather_seconds": 0})
    first = sorted(hub.records(hub.crm, "AccountObj", ["name"]))[0]
    queued = push(hub, [first], "crm-edit-1").runs
    waits = []

    run = execute(queued[0], waits.append)

    assert waits == [] and (run.read_count, run.failed_count) == (1, 0)


def test_a_scheduled_run_does_not_wait(hub):
    flow = hub.customers(enabled=True)
    waits = []

    run = execute(sync.start_run(flow, dispatcher=InlineDispatcher()).pk, waits.append)

    assert waits == [] and run.read_count == 4
