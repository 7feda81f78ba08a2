"""The webhook: signatures, timestamps, replays, and exactly the named records synced."""

import json
import time

import pytest
from django.test import Client
from django.urls import reverse

from syncjobs.models import SyncRun, Trigger, WebhookEvent
from syncjobs.operations import control
from syncjobs.operations.webhooks import sign
from tests.syncjobs.factories import make_flow

pytestmark = pytest.mark.django_db

SECRET = "whsec-current-8c1f"
OLD_SECRET = "whsec-previous-2b7d"
URL = reverse("sync-webhook")


@pytest.fixture(autouse=True)
def secrets(settings):
    settings.INTEGRATION_HUB_WEBHOOK_SECRETS = [SECRET, OLD_SECRET]


@pytest.fixture
def client():
    return Client(enforce_csrf_checks=True)  # a webhook sender has no session and no CSRF token


@pytest.fixture
def flow():
    return make_flow("customers", enabled=True)


def deliver(client, event, secret=SECRET, timestamp=None, signature=None, raw=None):
    body = raw if raw is not None else json.dumps(event).encode()
    timestamp = int(time.time()) if timestamp is None else timestamp
    headers = {
        "X-Hub-Timestamp": str(timestamp),
        "X-Hub-Signature": signature if signature is not None else sign(secret, timestamp, body),
    }
    return client.post(URL, body, content_type="application/json", headers=headers)


def event(**fields):
    return {"event_id": "evt-1", "object": "AccountObj", "ids": ["a1", "a2"], **fields}


def test_a_signed_event_queues_a_run_of_exactly_the_named_records(
    client, flow, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        response = deliver(client, event())

    assert response.status_code == 202
    run = SyncRun.objects.get()
    assert response.json() == {"event_id": "evt-1", "status": "accepted", "runs": [run.pk]}
    assert (run.flow, run.trigger, run.options) == (flow, Trigger.WEBHOOK, {"ids": ["a1", "a2"]})
    assert len(callbacks) == 1  # the run is handed to a worker once the transaction commits
    assert WebhookEvent.objects.get().runs == [run.pk]


def test_a_replayed_event_id_does_nothing(client, flow):
    assert deliver(client, event()).status_code == 202

    replay = deliver(client, event(ids=["a3"]))

    assert (replay.status_code, replay.json()["status"]) == (200, "duplicate")
    assert SyncRun.objects.count() == 1 and WebhookEvent.objects.count() == 1


def test_a_bad_signature_is_refused(client, flow):
    assert deliver(client, event(), secret="guessed").status_code == 401
    assert deliver(client, event(), signature="").status_code == 401
    tampered = json.dumps(event()).encode()
    timestamp = int(time.time())
    response = deliver(
        client,
        None,
        raw=tampered.replace(b"a2", b"a9"),
        timestamp=timestamp,
        signature=sign(SECRET, timestamp, tampered),
    )
    assert response.status_code == 401
    assert not SyncRun.objects.exists() and not WebhookEvent.objects.exists()


def test_the_previous_secret_still_verifies_during_a_rotation(client, flow):
    assert deliver(client, event(), secret=OLD_SECRET).status_code == 202


def test_a_timestamp_more_than_five_minutes_off_is_refused(client, flow):
    now = int(time.time())  # whole seconds: keep clear of the 300 s edge by more than one

    assert deliver(client, event(), timestamp=now - 305).status_code == 401
    assert deliver(client, event(), timestamp=now + 305).status_code == 401
    assert deliver(client, event(event_id="evt-2"), timestamp=now - 290).status_code == 202
    assert "5 minutes" in deliver(client, event(event_id="evt-3"), timestamp=now - 400).json()["error"]


def test_a_missing_timestamp_is_refused(client, flow):
    body = json.dumps(event()).encode()
    response = client.post(
        URL, body, content_type="application/json", headers={"X-Hub-Signature": "sha256=x"}
    )
    assert response.status_code == 401


@pytest.mark.parametrize(
    "body, words",
    [
        (b"not json", "not JSON"),
        (b"[1]", "JSON object"),
        (json.dumps({"object": "AccountObj", "ids": ["a"]}).encode(), "event_id"),
        (json.dumps({"event_id": "e", "object": "AccountObj", "ids": []}).encode(), "ids"),
        (json.dumps({"event_id": "e", "object": "AccountObj", "ids": [{"x": 1}]}).encode(), "ids"),
        (json.dumps({"event_id": "e", "ids": ["a"]}).encode(), "flow"),
        (json.dumps({"event_id": "e", "object": "ProductObj", "ids": ["a"]}).encode(), "No enabled flow"),
    ],
)
def test_a_malformed_event_is_refused_with_a_reason(client, flow, body, words):
    response = deliver(client, None, raw=body)

    assert response.status_code == 400
    assert words in response.json()["error"]
    assert not WebhookEvent.objects.exists()


def test_an_event_may_name_the_flow_or_the_connector(client, flow):
    other = make_flow(
        "accounts-copy",
        enabled=True,
        source=flow.source_connector,
        target=flow.target_connector,
        target_object="BD_Supplier",
    )

    deliver(client, {"event_id": "e1", "flow": "accounts-copy", "ids": ["a1"]})
    deliver(client, {"event_id": "e2", "object": "AccountObj", "connector": "crm", "ids": ["a1"]})

    # The second event's run of accounts-copy joins the one the first event queued.
    assert list(
        SyncRun.objects.filter(options__ids=["a1"]).order_by("id").values_list("flow", "request_count")
    ) == [(other.pk, 2), (flow.pk, 1)]


def test_an_event_for_a_paused_flow_is_held_until_the_flow_resumes(client, flow):
    control.pause_flow(flow)

    assert deliver(client, event()).status_code == 202

    run = SyncRun.objects.get(trigger=Trigger.WEBHOOK)
    assert run.resume_after == control.HELD_UNTIL


def test_without_a_secret_the_webhook_is_off(client, flow, settings):
    settings.INTEGRATION_HUB_WEBHOOK_SECRETS = []

    response = deliver(client, event())

    assert response.status_code == 503 and "INTEGRATION_HUB_WEBHOOK_SECRETS" in response.json()["error"]


def test_only_post_is_accepted(client):
    assert client.get(URL).status_code == 405
