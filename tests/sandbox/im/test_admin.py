"""The robots' messages in the sandbox admin: accepted and refused ones, with the answer."""

import pytest
from django.test import Client
from django.urls import reverse

from sandbox import services
from sandbox.im.models import ReceivedMessage

pytestmark = pytest.mark.django_db(databases=["default", "sandbox"])


def test_received_messages_are_listed_with_their_answer_codes(admin_client):
    services.seed(systems=["im"])
    client = Client()
    url = "/sandbox/im/wecom/cgi-bin/webhook/send?key=unknown"
    client.post(url, {"msgtype": "markdown", "markdown": {"content": "x"}}, content_type="application/json")

    response = admin_client.get(reverse("admin:sandbox_im_receivedmessage_changelist"))

    assert response.status_code == 200
    assert ReceivedMessage.objects.get().code == 93000
    assert "invalid webhook url" in response.content.decode()
