"""The generic webhook signs exactly as our own webhook verifies, and types the refusals."""

import json

import pytest

from connectors.errors import AuthenticationError, PermanentError
from connectors.hubhook import HubWebhook, HubWebhookConfig, sign
from syncjobs.operations import webhooks


def test_its_signature_is_the_one_our_webhook_verifies():
    body = json.dumps({"event_id": "a-1"}).encode()

    header = sign("s3cret", 1700000000, body)

    assert header == webhooks.sign("s3cret", 1700000000, body)
    webhooks.verify(body, "1700000000", header, secrets=["s3cret"], now=1700000010)


def test_a_receiver_refusing_the_signature_is_an_authentication_error(sandbox):
    hook = HubWebhook(HubWebhookConfig(url=sandbox.base_url + "/hooks/sync/", secret="not-the-hubs"))

    with pytest.raises(AuthenticationError) as raised:
        hook.send_event({"event_id": "a-1", "flow": "x", "ids": ["1"]})

    assert raised.value.code == 401


def test_a_missing_page_is_a_permanent_error(sandbox):
    hook = HubWebhook(HubWebhookConfig(url=sandbox.base_url + "/no-such-hook/", secret="s"))

    with pytest.raises(PermanentError):
        hook.send_event({"event_id": "a-1"})
