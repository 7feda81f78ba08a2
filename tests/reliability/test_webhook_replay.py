"""Reliability 7: the same webhook event delivered twice makes one write in the target.

The event goes through the real endpoint (signature, timestamp, event id); the queue runs
its task inline (django-q2's ``sync`` mode) so the write reaches the ERP sandbox during the
test. The second delivery is answered as a duplicate and writes nothing.
"""

import json
import time

import pytest
from django.test import Client
from django.urls import reverse
from django_q.conf import Conf

from syncjobs.models import SyncRecord, WebhookEvent
from syncjobs.operations.webhooks import sign
from tests.reliability.support import Site

pytestmark = pytest.mark.reliability

SECRET = "whsec-reliability-5e1"


@pytest.fixture
def site(db, sandbox, settings, monkeypatch):
    settings.INTEGRATION_HUB_WEBHOOK_SECRETS = [SECRET]
    monkeypatch.setattr(Conf, "SYNC", True)  # queued tasks run at once, in this process
    sandbox.set_faults("fxiaoke", rate_limit=100000, token_limit_per_minute=1000)
    return Site(sandbox, size=10, seed=17)


def deliver(body):
    timestamp = int(time.time())
    headers = {"X-Hub-Timestamp": str(timestamp), "X-Hub-Signature": sign(SECRET, timestamp, body)}
    client = Client(enforce_csrf_checks=True)
    return client.post(reverse("sync-webhook"), body, content_type="application/json", headers=headers)


def test_the_same_event_delivered_twice_writes_once(site, django_capture_on_commit_callbacks):
    flow = site.contacts(slug="hooked-contacts", enabled=True, match_keys=["FMobile"])
    contacts = site.records(site.crm, "ContactObj", ["name", "mobile1"])
    ids = sorted(contacts)[:2]
    body = json.dumps({"event_id": "crm-evt-0001", "flow": flow.slug, "ids": ids}).encode()
    mark = site.mark("k3cloud")

    with django_capture_on_commit_callbacks(execute=True):
        first = deliver(body)
    with django_capture_on_commit_callbacks(execute=True):
        second = deliver(body)

    assert (first.status_code, second.status_code) == (202, 200)
    assert second.json()["status"] == "duplicate"
    writes = [c for c in site.calls("k3cloud", after=mark) if c["operation"] in ("BatchSave", "Save")]
    assert len(writes) == 1 and writes[0]["rows"] == 2  # one write, of the two named records
    assert WebhookEvent.objects.count() == 1
    assert sorted(SyncRecord.objects.filter(flow=flow).values_list("source_id", flat=True)) == ids
    erp = site.erp_contacts()
    for record_id in ids:
        assert erp[(contacts[record_id]["name"], contacts[record_id]["mobile1"])] == 1
