"""Alert mails: what triggers them, who gets them, and at most one per cause per hour."""

from datetime import timedelta
from smtplib import SMTPException

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.utils import timezone
from django_q.models import OrmQ

from connectors import quota
from connectors.guard import connector_breaker
from syncjobs import tasks
from syncjobs.models import AlertNotice, AlertState, ChannelKind, NotificationChannel, RunStatus
from syncjobs.operations import alerts
from syncjobs.operations.alerts import Alert, claim, send_alerts
from tests.syncjobs.factories import make_flow, make_k3cloud, make_run
from tests.syncjobs.operations.notify_support import rule

pytestmark = pytest.mark.django_db


class BrokenBackend(BaseEmailBackend):
    """A mail server that refuses every message."""

    def send_messages(self, messages):
        raise SMTPException("mail server unavailable")


@pytest.fixture(autouse=True)
def three_in_a_row(settings):
    settings.INTEGRATION_HUB_ALERT_FAILED_RUNS = 3
    settings.INTEGRATION_HUB_ALERT_QUEUE_STALL_MINUTES = 15


def fail_runs(flow, count, message="K3Cloud answered HTTP 500"):
    for _ in range(count):
        make_run(flow, status=RunStatus.FAILED, message=message)


def test_a_flow_failing_three_runs_in_a_row_is_mailed_to_the_integration_admins(
    integration_admin, finance_reviewer
):
    flow = make_flow("customers")
    fail_runs(flow, 3)

    assert send_alerts() == ["flow-failing:customers"]

    (message,) = mail.outbox
    assert message.to == ["alice@example.com"]
    assert "“Customers” failed 3 runs in a row" in message.subject
    assert "K3Cloud answered HTTP 500" in message.body


def test_a_success_among_the_last_runs_is_no_alert(integration_admin):
    flow = make_flow("customers")
    fail_runs(flow, 2)
    make_run(flow, status=RunStatus.SUCCEEDED)
    fail_runs(flow, 2)
    make_run(flow, status=RunStatus.RUNNING)  # unfinished runs are not counted

    assert send_alerts() == []
    assert mail.outbox == []


def test_one_mail_per_cause_per_hour(integration_admin):
    fail_runs(make_flow("customers"), 3)
    now = timezone.now()

    assert send_alerts(now) == ["flow-failing:customers"]
    assert send_alerts(now + timedelta(minutes=59)) == []
    assert send_alerts(now + timedelta(minutes=61)) == ["flow-failing:customers"]

    assert len(mail.outbox) == 2
    notice = AlertNotice.objects.get()
    assert notice.sent_count == 2 and notice.first_sent_at == now


def test_only_one_of_two_simultaneous_checks_may_mail_a_cause():
    alert, now = Alert("queue-stalled", "subject", "body"), timezone.now()

    assert [claim(alert, now), claim(alert, now)] == [True, False]


def test_an_open_breaker_and_a_used_up_quota_are_mailed(integration_admin):
    erp = make_k3cloud("erp")
    breaker = connector_breaker(erp.connector_key)
    for _ in range(breaker.fail_max):
        breaker.record_failure()
    quota.note_exhausted(erp.connector_key, timezone.now() + timedelta(hours=5))

    assert sorted(send_alerts()) == ["breaker-open:k3cloud:erp", "quota-exhausted:k3cloud:erp"]
    subjects = sorted(m.subject for m in mail.outbox)
    assert "circuit breaker is open" in subjects[0] and "daily API quota" in subjects[1]


def test_queued_tasks_that_stopped_moving_are_mailed(integration_admin):
    now = timezone.now()
    OrmQ.objects.create(key="integration_hub", payload="x", lock=now - timedelta(minutes=20))

    assert send_alerts(now) == ["queue-stalled"]
    assert "20 minutes" in mail.outbox[0].subject
    assert alerts.stalled_queue(now - timedelta(minutes=10)) == []  # waited 10 minutes then


def test_nothing_is_claimed_when_nobody_can_be_mailed():
    fail_runs(make_flow("customers"), 3)

    assert send_alerts() == []
    assert not AlertNotice.objects.exists()


def test_a_mail_that_cannot_be_sent_leaves_the_cause_to_the_next_check(integration_admin, settings):
    fail_runs(make_flow("customers"), 3)
    settings.EMAIL_BACKEND = f"{__name__}.BrokenBackend"

    with pytest.raises(SMTPException):
        send_alerts()

    assert not AlertNotice.objects.exists()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert send_alerts() == ["flow-failing:customers"]


def test_the_alert_task_returns_what_it_mailed(integration_admin):
    fail_runs(make_flow("orders"), 3)
    assert tasks.check_alerts() == ["flow-failing:orders"]


def recoveries(outbox):
    return [message for message in outbox if "[Recovered]" in message.subject]


def alerted_then_cleared(clock, now):
    """A flow alerted about at ``now`` whose next run succeeded five minutes later."""
    flow = make_flow("customers")
    fail_runs(flow, 3)
    assert send_alerts(now) == ["flow-failing:customers"]
    make_run(flow, status=RunStatus.SUCCEEDED)
    clock.advance(300)
    return flow


def test_the_admins_get_one_recovery_mail_when_a_mailed_cause_clears(clock, now, integration_admin, settings):
    settings.INTEGRATION_HUB_PUBLIC_BASE_URL = "https://hub.example.com"
    flow = make_flow("customers")
    fail_runs(flow, 3)
    assert send_alerts(now) == ["flow-failing:customers"]
    assert f"https://hub.example.com/admin/console/flows/{flow.pk}/failures/" in mail.outbox[0].body

    make_run(flow, status=RunStatus.SUCCEEDED)
    clock.advance(300)
    assert send_alerts() == []
    clock.advance(300)
    send_alerts()

    (recovery,) = recoveries(mail.outbox)
    assert recovery.to == ["alice@example.com"]
    assert recovery.subject == "[Integration Hub] [Recovered] Flow “Customers” failed 3 runs in a row"
    assert "**Failed runs in a row** has cleared" in recovery.body and "**Flow**: Customers" in recovery.body
    assert f"(https://hub.example.com/admin/console/flows/{flow.pk}/failures/)" in recovery.body
    assert "(https://hub.example.com/admin/)" in recovery.body
    assert len(mail.outbox) == 2 and not AlertState.objects.get().active


def test_the_recovery_mail_is_written_in_the_sites_language(clock, now, integration_admin, settings):
    settings.LANGUAGE_CODE = "zh-hans"
    alerted_then_cleared(clock, now)

    send_alerts()

    alert, recovery = mail.outbox
    assert recovery.subject == "[Integration Hub] [已恢复] 流程“Customers”连续 3 次运行失败"
    assert "已恢复，无需处理" in recovery.body and "**同步流程**：Customers" in recovery.body


def test_a_cause_only_the_channels_got_is_no_recovery_mail(clock, now, integration_admin):
    ops = NotificationChannel.objects.create(name="ops", kind=ChannelKind.MAIL, recipients="ops@example.com")
    rule(ops)
    flow = make_flow("customers")
    fail_runs(flow, 3)
    integration_admin.email = ""
    integration_admin.save()
    assert send_alerts(now) == ["flow-failing:customers"]  # the admins had no address: only ops got it

    integration_admin.email = "alice@example.com"
    integration_admin.save()
    make_run(flow, status=RunStatus.SUCCEEDED)
    clock.advance(300)
    send_alerts()

    assert [message.to for message in mail.outbox] == [["ops@example.com"], ["ops@example.com"]]
    assert "[Recovered]" in mail.outbox[1].subject


def test_a_recovery_mail_that_cannot_be_sent_is_tried_again_by_the_next_check(
    clock, now, integration_admin, settings
):
    alerted_then_cleared(clock, now)
    settings.EMAIL_BACKEND = f"{__name__}.BrokenBackend"

    with pytest.raises(SMTPException):
        send_alerts()

    assert AlertState.objects.get().active
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    clock.advance(300)
    send_alerts()
    send_alerts()
    assert len(recoveries(mail.outbox)) == 1


def test_a_cause_that_stays_quiet_mails_no_recovery(clock, now, integration_admin):
    flow = make_flow("customers")
    fail_runs(flow, 2)

    send_alerts(now)
    make_run(flow, status=RunStatus.SUCCEEDED)
    clock.advance(300)
    send_alerts()

    assert mail.outbox == [] and not AlertState.objects.exists()
