"""Sends that fail: retried with backoff or failed at once, logged, never in a run's way."""

import logging
import random
import socket
from datetime import time, timedelta

import pytest
from django.core import mail
from django.utils import timezone

from connectors import quota
from syncjobs.engine import runs
from syncjobs.engine.dispatch import InlineDispatcher
from syncjobs.models import ChannelDelivery, ChannelKind, DeliveryStatus, RunStatus, Trigger
from syncjobs.operations.alerts import send_alerts
from syncjobs.operations.notify import outbox
from syncjobs.services import sync
from tests.syncjobs.engine.scenarios import Hub
from tests.syncjobs.factories import make_flow, make_k3cloud, make_run
from tests.syncjobs.operations.notify_support import channel, received, robot_messages, rule

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def three_in_a_row(settings):
    settings.INTEGRATION_HUB_ALERT_FAILED_RUNS = 3


def fail_flow(slug="customers"):
    flow = make_flow(slug)
    for _ in range(3):
        make_run(flow, status=RunStatus.FAILED, message="boom")
    return flow


def closed_port_url():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/cgi-bin/webhook/send?key=x"


def test_an_invalid_key_fails_at_once_is_logged_and_the_other_channels_still_get_it(sandbox, robots, caplog):
    broken = channel(
        sandbox,
        robots,
        name="broken",
        webhook_url=sandbox.base_url + "/sandbox/im/wecom/cgi-bin/webhook/send?key=gone",
    )
    rule(broken, channel(sandbox, robots, ChannelKind.FEISHU))
    fail_flow()

    with caplog.at_level(logging.WARNING, logger="syncjobs.operations.notify.outbox"):
        assert send_alerts() == ["flow-failing:customers"]

    failed = ChannelDelivery.objects.get(channel=broken)
    assert (failed.status, failed.attempts) == (DeliveryStatus.FAILED, 1)
    assert "AuthenticationError" in failed.last_error and "93000" in failed.last_error
    assert "'broken' failed (attempt 1 of 6)" in caplog.text
    assert len(robot_messages(sandbox, robots, "feishu")) == 1


def test_an_unreachable_robot_is_retried_with_growing_waits_then_failed(robots, sandbox):
    unreachable = channel(sandbox, robots, webhook_url=closed_port_url())
    rule(unreachable)
    fail_flow()
    now = timezone.now()
    send_alerts(now)

    waits = []
    for _ in range(outbox.MAX_ATTEMPTS - 1):
        delivery = ChannelDelivery.objects.get()
        waits.append(round((delivery.next_attempt_at - now).total_seconds() / 60))
        now = delivery.next_attempt_at
        outbox.deliver_due(now)

    delivery = ChannelDelivery.objects.get()
    assert waits == [1, 2, 4, 8, 16]
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.FAILED, outbox.MAX_ATTEMPTS)
    assert "TransientError" in delivery.last_error


def test_too_frequent_waits_a_minute_and_then_goes_through(sandbox, robots):
    sandbox.set_faults("im", wecom_per_minute=1)
    wecom = channel(sandbox, robots, per_minute=60)  # our own limit above the robot's: the robot refuses
    rule(wecom)
    fail_flow("customers")
    fail_flow("orders")
    now = timezone.now()

    send_alerts(now)

    statuses = dict(ChannelDelivery.objects.values_list("cause", "status"))
    assert sorted(statuses.values()) == [DeliveryStatus.PENDING, DeliveryStatus.SENT]
    assert [message["code"] for message in received(sandbox, robots, "wecom")] == [0, 45009]
    sandbox.advance_clock("im", 61)
    assert outbox.deliver_due(now + timedelta(seconds=61)) == 1


def test_our_per_minute_limit_holds_messages_back_without_spending_attempts(sandbox, robots):
    rule(channel(sandbox, robots, per_minute=1))
    fail_flow("customers")
    fail_flow("orders")
    now = timezone.now()

    send_alerts(now)

    waiting = ChannelDelivery.objects.get(status=DeliveryStatus.PENDING)
    assert waiting.attempts == 0 and waiting.next_attempt_at == now + timedelta(minutes=1)
    assert len(robot_messages(sandbox, robots, "wecom")) == 1


def test_a_channel_that_keeps_failing_does_not_block_a_sync_run(sandbox, robots):
    sandbox.set_faults("fxiaoke", rate_limit=100000, token_limit_per_minute=1000)
    hub = Hub(sandbox, size=4)
    flow = hub.customers()
    rule(channel(sandbox, robots, webhook_url=closed_port_url()))
    fail_flow("orders")
    send_alerts()  # the message to the dead robot is now waiting for its retry
    waiting = ChannelDelivery.objects.get()

    run = runs.create_run(flow, Trigger.MANUAL)
    run = sync.execute_run(run.pk, dispatcher=InlineDispatcher(), sleep=lambda s: None, rng=random.Random(1))

    assert run.status == RunStatus.SUCCEEDED
    waiting.refresh_from_db()
    assert waiting.attempts == 1  # the run sent nothing: only the alert check does


def test_a_broken_mail_server_does_not_hold_the_robots_messages(
    sandbox, robots, integration_admin, settings, caplog
):
    settings.EMAIL_BACKEND = "tests.syncjobs.operations.test_alerts.BrokenBackend"
    rule(channel(sandbox, robots), causes=["flow-failing"])
    fail_flow()

    with caplog.at_level(logging.WARNING, logger="syncjobs.operations.alerts"):
        assert send_alerts() == ["flow-failing:customers"]

    assert len(robot_messages(sandbox, robots, "wecom")) == 1
    assert "alert mail about flow-failing:customers could not be sent" in caplog.text


def test_an_alert_mail_the_server_refused_gets_no_recovery_mail(sandbox, robots, integration_admin, settings):
    settings.EMAIL_BACKEND = "tests.syncjobs.operations.test_alerts.BrokenBackend"
    rule(channel(sandbox, robots), causes=["flow-failing"])
    flow = fail_flow()
    send_alerts()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    make_run(flow, status=RunStatus.SUCCEEDED)

    send_alerts()

    assert mail.outbox == []
    assert "[Recovered]" in robot_messages(sandbox, robots, "wecom")[-1]


def test_a_message_for_a_channel_disabled_since_it_was_queued_is_failed_not_sent(sandbox, robots):
    wecom = channel(sandbox, robots)
    rule(wecom, quiet_start=time(0), quiet_end=time(23, 59))
    quota.note_exhausted(
        make_k3cloud("erp9").connector_key, timezone.now() + timedelta(hours=1)
    )  # a warning: held
    send_alerts()
    wecom.enabled = False
    wecom.save()

    outbox.deliver_due(timezone.now() + timedelta(days=1))

    held = ChannelDelivery.objects.get()
    assert held.status == DeliveryStatus.FAILED and "is disabled" in held.last_error
    assert robot_messages(sandbox, robots, "wecom") == []


def test_sending_stops_when_the_checks_budget_is_spent_and_the_rest_wait(sandbox, robots):
    rule(channel(sandbox, robots))
    fail_flow("customers")
    fail_flow("orders")
    now = timezone.now()
    send_alerts(now)  # sends both
    ChannelDelivery.objects.update(status=DeliveryStatus.PENDING, next_attempt_at=now, sent_at=None)
    ticks = iter([0, 0, 100])  # deadline, first message, then past the budget

    assert outbox.deliver_due(now, budget_seconds=50, clock=lambda: next(ticks)) == 1
    assert ChannelDelivery.objects.filter(status=DeliveryStatus.PENDING).count() == 1
