"""Alerts to robot channels: routed by rules, one per cause per hour, recovery, quiet hours."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from connectors import quota
from syncjobs.models import (
    AlertState,
    ChannelDelivery,
    ChannelKind,
    DeliveryKind,
    DeliveryStatus,
    RecordStatus,
    RunStatus,
    Severity,
)
from syncjobs.operations.alerts import send_alerts
from tests.syncjobs.factories import make_flow, make_k3cloud, make_records, make_run
from tests.syncjobs.operations.notify_support import channel, robot_messages, rule

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture(autouse=True)
def setup(settings):
    settings.INTEGRATION_HUB_ALERT_FAILED_RUNS = 3
    settings.INTEGRATION_HUB_PUBLIC_BASE_URL = "https://hub.example.com"
    settings.TIME_ZONE = "Asia/Shanghai"


def failing_flow(slug="customers", records=0, **fields):
    flow = make_flow(slug, **fields)
    for _ in range(3):
        run = make_run(flow, status=RunStatus.FAILED, message="K3Cloud answered HTTP 500")
    if records:
        make_records(run, records, status=RecordStatus.FAILED, error_message="客户编码重复 FNumber")
    return flow


def test_an_alert_reaches_the_wecom_robot_with_flow_cause_counts_records_and_links(sandbox, robots):
    wecom = channel(sandbox, robots)
    rule(wecom, causes=["flow-failing"])
    flow = failing_flow(records=7)

    assert send_alerts() == ["flow-failing:customers"]  # records-attention goes to no rule

    (text,) = robot_messages(sandbox, robots, "wecom")
    assert "“Customers” failed 3 runs in a row" in text
    assert "**Flow**: Customers" in text and "**Cause**: Failed runs in a row" in text
    assert "**Records needing attention**: 7" in text
    assert text.count("客户编码重复 FNumber") == 5  # the first five records, with their reason
    assert f"(https://hub.example.com/admin/console/flows/{flow.pk}/failures/)" in text
    assert "(https://hub.example.com/admin/)" in text and "/admin/console/records/" in text
    assert ChannelDelivery.objects.get().status == DeliveryStatus.SENT


def test_signed_robots_get_the_alert_with_their_keyword(sandbox, robots):
    rule(channel(sandbox, robots, ChannelKind.DINGTALK), channel(sandbox, robots, ChannelKind.FEISHU))
    failing_flow()

    send_alerts()

    assert (
        len(robot_messages(sandbox, robots, "dingtalk"))
        == len(robot_messages(sandbox, robots, "feishu"))
        == 1
    )
    assert set(ChannelDelivery.objects.values_list("status", flat=True)) == {DeliveryStatus.SENT}


def test_one_message_per_cause_per_hour_then_a_recovery_once(sandbox, robots):
    rule(channel(sandbox, robots))
    flow = failing_flow()
    start = timezone.now()

    with time_machine.travel(start, tick=False):
        assert send_alerts(start) == ["flow-failing:customers"]
        assert send_alerts(start + timedelta(minutes=30)) == []
        assert send_alerts(start + timedelta(minutes=61)) == ["flow-failing:customers"]
        make_run(flow, status=RunStatus.SUCCEEDED)
        send_alerts(start + timedelta(minutes=70))
        send_alerts(start + timedelta(minutes=75))

    kinds = list(ChannelDelivery.objects.order_by("id").values_list("kind", flat=True))
    assert kinds == [DeliveryKind.ALERT, DeliveryKind.ALERT, DeliveryKind.RECOVERY]
    texts = robot_messages(sandbox, robots, "wecom")
    assert len(texts) == 3 and "[Recovered]" in texts[-1] and "**Flow**: Customers" in texts[-1]
    assert f"(https://hub.example.com/admin/console/flows/{flow.pk}/failures/)" in texts[-1]
    assert not AlertState.objects.get().active


def test_a_rule_without_recovery_stays_quiet_when_the_cause_clears(sandbox, robots):
    rule(channel(sandbox, robots), send_recovery=False)
    flow = failing_flow()
    send_alerts()
    make_run(flow, status=RunStatus.SUCCEEDED)

    send_alerts()

    assert list(ChannelDelivery.objects.values_list("kind", flat=True)) == [DeliveryKind.ALERT]


def test_rules_pick_causes_flows_and_severity(sandbox, robots, integration_admin):
    wecom, feishu = channel(sandbox, robots), channel(sandbox, robots, ChannelKind.FEISHU)
    erp = make_k3cloud("erp2")
    orders = make_flow("orders", target=make_k3cloud("erp3"))
    rule(wecom, name="orders only", flows=[orders])
    rule(feishu, name="critical quota", causes=["quota-exhausted"], min_severity=Severity.CRITICAL)
    failing_flow("customers", target=erp)
    quota.note_exhausted(erp.connector_key, timezone.now() + timedelta(hours=3))

    sent = send_alerts()

    assert sorted(sent) == ["flow-failing:customers", "quota-exhausted:k3cloud:erp2"]
    # customers is not the orders rule's flow; the quota alert is a warning, below critical.
    assert not ChannelDelivery.objects.exists()
    rule(feishu, name="warnings too", causes=["quota-exhausted"], min_severity=Severity.WARNING)
    send_alerts(timezone.now() + timedelta(minutes=61))
    assert ChannelDelivery.objects.get().cause == "quota-exhausted:k3cloud:erp2"


def test_quiet_hours_hold_a_warning_until_they_end_but_not_a_critical_alert(sandbox, robots):
    wecom = channel(sandbox, robots)
    rule(wecom, quiet_start=time(22), quiet_end=time(7))
    failing_flow()  # critical
    erp = make_k3cloud("erp2")
    late = datetime(2026, 12, 3, 23, 30, tzinfo=SHANGHAI)
    quota.note_exhausted(erp.connector_key, late + timedelta(hours=3))  # warning

    with time_machine.travel(late, tick=False):
        send_alerts(late)

    held = ChannelDelivery.objects.get(cause="quota-exhausted:k3cloud:erp2")
    assert held.status == DeliveryStatus.PENDING
    assert held.next_attempt_at == datetime(2026, 12, 4, 7, 0, tzinfo=SHANGHAI)
    assert ChannelDelivery.objects.get(cause="flow-failing:customers").status == DeliveryStatus.SENT


def test_records_needing_attention_are_a_warning_of_their_own(sandbox, robots):
    rule(channel(sandbox, robots), causes=["records-attention"])
    flow = make_flow("orders")
    make_records(
        make_run(flow, status=RunStatus.PARTIAL), 2, status=RecordStatus.DEAD, error_message="物料不存在"
    )

    assert send_alerts() == ["records-attention:orders"]

    (text,) = robot_messages(sandbox, robots, "wecom")
    assert "[Warning] 2 records of “Orders” need attention" in text and "物料不存在" in text
