"""The causes beyond mail's first four, and the daily digest."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django_q.models import Schedule

from connectors.state import get_state
from syncjobs.models import (
    AlertState,
    ChannelDelivery,
    ChannelKind,
    DeliveryKind,
    DeliveryStatus,
    NotificationChannel,
    ReconciliationDifference,
    ReconciliationReport,
    ReportStatus,
    RunStatus,
)
from syncjobs.operations import alerts, tasks
from syncjobs.operations.alerts import send_alerts
from syncjobs.operations.notify import digest
from syncjobs.operations.notify.causes import CAUSES, Alert, cause, cause_choices
from tests.syncjobs.factories import make_flow, make_fxiaoke, make_k3cloud, make_run
from tests.syncjobs.operations.notify_support import channel, robot_messages, rule

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


def test_a_quota_nearly_used_up_is_a_warning(integration_admin):
    crm = make_fxiaoke("crm", daily_call_quota=1000)
    state = get_state()
    state.count_call(crm.connector_key, "/cgi/crm/v2/data/query", 899)

    assert alerts.quotas_running_low([crm], state) == []
    state.count_call(crm.connector_key, "/cgi/crm/v2/data/query", 1)
    (low,) = alerts.quotas_running_low([crm], state)

    assert low.cause == "quota-low:fxiaoke:crm" and low.severity == 20
    assert "used 900 of its 1000 API calls today" in low.subject


def report(crm, erp, differences, status=ReportStatus.DONE):
    made = ReconciliationReport.objects.create(
        crm_connector=crm,
        erp_connector=erp,
        period_start=date(2026, 12, 1),
        period_end=date(2026, 12, 2),
        status=status,
    )
    for number in range(differences):
        ReconciliationDifference.objects.create(
            report=made, kind="order", problem="missing_in_erp", crm_number=f"SO{number}"
        )
    return made


def test_the_latest_reconciliation_with_differences_is_a_cause_until_a_clean_one(sandbox, robots):
    rule(channel(sandbox, robots), causes=["reconciliation-differences"])
    crm, erp = make_fxiaoke("crm"), make_k3cloud("erp")
    report(crm, erp, 2)

    assert send_alerts() == ["reconciliation-differences:crm:erp"]
    report(crm, erp, 0)
    send_alerts()

    texts = robot_messages(sandbox, robots, "wecom")
    assert "2 differences between “CRM crm” and “ERP erp”" in texts[0] and "[Recovered]" in texts[1]


def test_a_new_cause_plugs_in_with_one_function(integration_admin):
    @cause("disk-full", "Disk full")
    def disk_full(check):
        return [Alert("disk-full:db", "The database disk is full", "…")]

    try:
        assert ("disk-full", "Disk full") in cause_choices()
        assert send_alerts() == ["disk-full:db"]
    finally:
        del CAUSES["disk-full"]


def test_the_daily_digest_goes_once_a_day_to_the_rules_that_want_it(sandbox, robots, settings):
    settings.INTEGRATION_HUB_ALERT_FAILED_RUNS = 3
    wecom = channel(sandbox, robots)
    rule(wecom, daily_digest=True, causes=["queue-stalled"])
    rule(channel(sandbox, robots, ChannelKind.FEISHU), name="no digest")
    flow = make_flow("customers")
    for _ in range(3):
        make_run(flow, status=RunStatus.FAILED, message="boom")
    morning = datetime(2026, 12, 4, 8, 30, tzinfo=SHANGHAI)
    with time_machine.travel(morning - timedelta(hours=2), tick=False):
        send_alerts(morning - timedelta(hours=2))

    with time_machine.travel(morning, tick=False):
        assert digest.send_digest(morning) == 1
        assert digest.send_digest(morning + timedelta(hours=3)) == 0

    sent = ChannelDelivery.objects.get(kind=DeliveryKind.DIGEST)
    assert (sent.channel, sent.status) == (wecom, DeliveryStatus.SENT)
    text = robot_messages(sandbox, robots, "wecom")[-1]
    assert "daily digest, 2026-12-04" in text and "**Still open**: 1" in text
    assert "“Customers” failed 3 runs in a row" in text
    assert AlertState.objects.filter(active=True).count() == 1


def test_the_digest_waits_for_the_end_of_quiet_hours():
    hook = NotificationChannel.objects.create(
        name="hook", kind=ChannelKind.WEBHOOK, webhook_url="http://127.0.0.1:9/x"
    )
    rule(hook, daily_digest=True, quiet_start=time(22), quiet_end=time(9))
    morning = datetime(2026, 12, 4, 8, 30, tzinfo=SHANGHAI)

    digest.send_digest(morning)

    held = ChannelDelivery.objects.get()
    assert held.status == DeliveryStatus.PENDING and held.attempts == 0
    assert held.next_attempt_at == datetime(2026, 12, 4, 9, 0, tzinfo=SHANGHAI)


def test_the_digest_task_is_scheduled():
    assert tasks.send_alert_digest() == 0  # no rule wants one
    assert Schedule.objects.get(name="Integration Hub: alert digest").cron == "30 8 * * *"
