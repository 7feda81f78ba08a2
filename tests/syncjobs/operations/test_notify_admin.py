"""Channels in the admin: secrets write-only and never shown, a test button, and no secret in
any message, log or page."""

import json
import logging
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.urls import reverse

from syncjobs.models import (
    AlertRule,
    ChannelDelivery,
    ChannelKind,
    DeliveryStatus,
    NotificationChannel,
    RunStatus,
)
from syncjobs.operations import webhooks
from syncjobs.operations.alerts import send_alerts
from tests.syncjobs.factories import make_flow, make_run
from tests.syncjobs.operations.notify_support import channel, robot_messages, rule

pytestmark = pytest.mark.django_db


def button_url(channel):
    return reverse("admin:syncjobs_notificationchannel_test", args=[channel.pk])


def test_the_test_button_sends_a_message_and_says_so(admin_client_csrf, sandbox, robots):
    wecom = channel(sandbox, robots)

    response = admin_client_csrf.post_form(button_url(wecom), follow=True)

    assert "The test message was sent." in response.content.decode()
    assert "Integration Hub test message" in robot_messages(sandbox, robots, "wecom")[0]
    assert ChannelDelivery.objects.get().status == DeliveryStatus.SENT


def test_the_test_button_reports_the_platforms_refusal(admin_client_csrf, sandbox, robots):
    dingtalk = channel(sandbox, robots, ChannelKind.DINGTALK, secret="SECwrong")

    response = admin_client_csrf.post_form(button_url(dingtalk), follow=True)

    page = response.content.decode()
    assert "The test message failed" in page and "310000" in page and "SECwrong" not in page


def test_the_test_button_needs_the_permission_and_a_post(staff_client, admin_client_csrf, sandbox, robots):
    wecom = channel(sandbox, robots)

    assert staff_client.post_form(button_url(wecom)).status_code in (302, 403)
    assert admin_client_csrf.get(button_url(wecom)).status_code == 405
    assert not ChannelDelivery.objects.exists()


def test_a_saved_secret_is_encrypted_never_shown_and_kept_when_left_blank(admin_client_csrf):
    url = reverse("admin:syncjobs_notificationchannel_add")
    secret_url = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=KEY-0123456789"
    form = {
        "name": "ops",
        "kind": "dingtalk",
        "enabled": "on",
        "per_minute": "20",
        "keywords": "",
        "recipients": "",
    }
    admin_client_csrf.post_form(url, {**form, "webhook_url": secret_url, "secret": "SEC-verysecret"})
    saved = NotificationChannel.objects.get()
    change = reverse("admin:syncjobs_notificationchannel_change", args=[saved.pk])

    page = admin_client_csrf.get(change).content.decode()
    admin_client_csrf.post_form(change, {**form, "webhook_url": "", "secret": ""})

    assert "KEY-0123456789" not in page and "SEC-verysecret" not in page
    assert "Stored (encrypted)" in page
    saved.refresh_from_db()
    assert (saved.webhook_url, saved.secret) == (secret_url, "SEC-verysecret")
    raw = NotificationChannel.objects.values_list("secret", flat=True).get()
    assert "SEC-verysecret" not in raw


def test_no_secret_reaches_a_message_a_log_or_a_page(admin_client_csrf, sandbox, robots, caplog):
    dingtalk = channel(sandbox, robots, ChannelKind.DINGTALK)
    broken = channel(sandbox, robots, ChannelKind.FEISHU, name="broken", secret="wrong-secret-xyz")
    rule(dingtalk, broken)
    flow = make_flow("customers")
    for _ in range(3):
        make_run(flow, status=RunStatus.FAILED, message="boom")
    secrets = [
        robots["dingtalk"]["token"],
        robots["dingtalk"]["secret"],
        robots["feishu"]["token"],
        "wrong-secret-xyz",
    ]

    with caplog.at_level(logging.DEBUG):
        send_alerts()
    pages = [
        admin_client_csrf.get(reverse(name)).content.decode()
        for name in (
            "admin:index",
            "admin:syncjobs_notificationchannel_changelist",
            "admin:syncjobs_channeldelivery_changelist",
        )
    ]
    pages += [
        admin_client_csrf.get(
            reverse("admin:syncjobs_notificationchannel_change", args=[c.pk])
        ).content.decode()
        for c in (dingtalk, broken)
    ]

    stored = [json.dumps(list(ChannelDelivery.objects.values("title", "body", "event", "last_error")))]
    assert ChannelDelivery.objects.filter(status=DeliveryStatus.FAILED).count() == 1
    for text in [*stored, caplog.text, *pages, *robot_messages(sandbox, robots, "dingtalk")]:
        for secret in secrets:
            assert secret not in text


class Receiver(BaseHTTPRequestHandler):
    received = []

    def do_POST(self):  # noqa: N802  (http.server's name)
        body = self.rfile.read(int(self.headers["Content-Length"]))
        Receiver.received.append((dict(self.headers), body))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def receiver():
    server = HTTPServer(("127.0.0.1", 0), Receiver)
    Receiver.received = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/alerts"
    server.shutdown()
    server.server_close()


def test_the_generic_webhook_gets_a_signed_json_event_our_own_webhook_would_accept(receiver, settings):
    settings.INTEGRATION_HUB_PUBLIC_BASE_URL = "https://hub.example.com"
    hook = NotificationChannel.objects.create(
        name="hook", kind=ChannelKind.WEBHOOK, webhook_url=receiver, secret="s3"
    )
    rule(hook)
    flow = make_flow("customers")
    for _ in range(3):
        make_run(flow, status=RunStatus.FAILED, message="boom")

    send_alerts()

    ((headers, body),) = Receiver.received
    webhooks.verify(body, headers["X-Hub-Timestamp"], headers["X-Hub-Signature"], secrets=["s3"])
    event = json.loads(body)
    assert (event["event"], event["cause"], event["severity"]) == (
        "alert",
        "flow-failing:customers",
        "critical",
    )
    assert event["links"]["Dashboard"] == "https://hub.example.com/admin/"


def test_the_dashboard_counts_the_messages_that_could_not_be_sent(admin_client_csrf, sandbox, robots):
    broken = channel(
        sandbox, robots, webhook_url=sandbox.base_url + "/sandbox/im/wecom/cgi-bin/webhook/send?key=no"
    )
    rule(broken)
    flow = make_flow("customers")
    for _ in range(3):
        make_run(flow, status=RunStatus.FAILED, message="boom")
    send_alerts()

    page = admin_client_csrf.get(reverse("admin:index")).content.decode()

    assert "Alert messages not sent, 24 hours" in page
    assert 'status__exact=failed">1</a>' in page


def test_a_rule_is_made_in_the_admin_from_the_registered_causes(admin_client_csrf):
    hook = NotificationChannel.objects.create(
        name="hook", kind=ChannelKind.WEBHOOK, webhook_url="https://x.example/h"
    )
    url = reverse("admin:syncjobs_alertrule_add")
    page = admin_client_csrf.get(url).content.decode()

    response = admin_client_csrf.post_form(
        url,
        {
            "name": "night shift",
            "enabled": "on",
            "causes": ["flow-failing", "queue-stalled"],
            "channels": [hook.pk],
            "min_severity": "30",
            "quiet_start": "22:00",
            "quiet_end": "07:00",
            "send_recovery": "on",
        },
    )

    assert "Failed runs in a row" in page and "Reconciliation differences" in page
    assert response.status_code == 302
    saved = AlertRule.objects.get()
    assert saved.causes == ["flow-failing", "queue-stalled"] and list(saved.channels.all()) == [hook]


def test_the_notification_list_loads_with_a_bounded_number_of_queries(
    admin_client_csrf, sandbox, robots, django_assert_max_num_queries
):
    rule(channel(sandbox, robots))
    for slug in ("a", "b", "c"):
        flow = make_flow(slug)
        for _ in range(3):
            make_run(flow, status=RunStatus.FAILED, message="boom")
    send_alerts()
    admin_client_csrf.get(reverse("admin:syncjobs_channeldelivery_changelist"))

    with django_assert_max_num_queries(12):
        response = admin_client_csrf.get(reverse("admin:syncjobs_channeldelivery_changelist"))

    assert response.status_code == 200 and response.content.decode().count("Flow “") >= 3
