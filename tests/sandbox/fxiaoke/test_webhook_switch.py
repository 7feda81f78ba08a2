"""The sandbox's webhook switch: a changed record becomes a signed event the hub accepts."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.test import Client
from django.urls import reverse

from syncjobs.models import SyncRun, Trigger
from tests.sandbox.fxiaoke.test_writes import lines, order_values, seeded  # noqa: F401  (fixture)
from tests.syncjobs.factories import make_flow, make_fxiaoke

SECRET = "sandbox-webhook-secret"


class Receiver:
    """A web server in the test process that records what the sandbox posts to it."""

    def __init__(self):
        self.deliveries = []
        self.arrived = threading.Condition()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                with receiver.arrived:
                    receiver.deliveries.append((dict(self.headers), body))
                    receiver.arrived.notify_all()
                self.send_response(202)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks/sync/"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def wait(self, count=1, timeout=10):
        with self.arrived:
            self.arrived.wait_for(lambda: len(self.deliveries) >= count, timeout)
        return self.deliveries

    def events(self):
        return [json.loads(body) for _headers, body in self.deliveries]


@pytest.fixture
def receiver(sandbox):
    receiver = Receiver()
    yield receiver
    receiver.server.shutdown()


@pytest.fixture
def switched_on(sandbox, receiver):
    sandbox.set_faults(
        "fxiaoke", webhook_url=receiver.url, webhook_secret=SECRET, webhook_connector="demo-crm"
    )


def update(fx, api_name, object_id, **values):
    answer = fx.call(
        "/cgi/crm/v2/data/update",
        {"object_data": {"dataObjectApiName": api_name, "_id": object_id, **values}},
    )
    assert answer["errorCode"] == 0, answer


@pytest.mark.django_db
def test_a_changed_record_is_posted_as_an_event_the_hub_accepts(fx, switched_on, receiver, settings):
    account = fx.rows("AccountObj")[0]["_id"]

    update(fx, "AccountObj", account, remark="changed by a salesperson")

    ((headers, body),) = receiver.wait()
    event = json.loads(body)
    assert (event["object"], event["ids"], event["connector"]) == ("AccountObj", [account], "demo-crm")
    # The hub verifies the signature and queues a run of exactly that account.
    settings.INTEGRATION_HUB_WEBHOOK_SECRETS = [SECRET]
    make_flow("customers", source=make_fxiaoke("demo-crm"), enabled=True)
    answer = Client(enforce_csrf_checks=True).post(
        reverse("sync-webhook"),
        body,
        content_type="application/json",
        headers={
            "X-Hub-Timestamp": headers["X-Hub-Timestamp"],
            "X-Hub-Signature": headers["X-Hub-Signature"],
        },
    )
    assert answer.status_code == 202, answer.content
    assert (
        SyncRun.objects.get().options == {"ids": [account]}
        and SyncRun.objects.get().trigger == Trigger.WEBHOOK
    )


def test_a_new_order_with_lines_is_one_event_naming_the_order(fx, seeded, switched_on, receiver):  # noqa: F811
    order = fx.create(
        "SalesOrderObj", order_values(seeded), details={"SalesOrderProductObj": lines(seeded, "1", "2")}
    )

    receiver.wait()
    assert receiver.events() == [
        {
            "event_id": receiver.events()[0]["event_id"],
            "object": "SalesOrderObj",
            "ids": [order],
            "connector": "demo-crm",
        }
    ]


def test_changes_made_together_go_out_in_one_event(fx, switched_on, receiver):
    account = fx.rows("AccountObj")[0]["_id"]
    answer = fx.call(
        "/cgi/crm/v2/data/invalid", {"dataObjectApiName": "AccountObj", "object_data_id": account}
    )
    assert answer["errorCode"] == 0, answer
    receiver.wait()

    fx.sandbox.simulate("fxiaoke", tenant=fx.tenant["corp_id"], edit=0.5, approve=False)

    receiver.wait(count=2)
    first, second = receiver.events()
    assert first["ids"] == [account]
    assert second["object"] == "AccountObj" and len(second["ids"]) == 4  # half the nine in use, in one go


def test_nothing_is_sent_while_the_switch_is_off(fx, receiver):
    account = fx.rows("AccountObj")[0]["_id"]

    update(fx, "AccountObj", account, remark="quiet")

    assert receiver.wait(timeout=1) == []
