"""The demo's 企业微信 robot on the sandbox: configured once, and the alerts reach it."""

import pytest

from syncjobs.models import AlertRule, NotificationChannel, RecordStatus, RunStatus
from syncjobs.operations.alerts import send_alerts
from syncjobs.scenarios.demo import ROBOT_CHANNEL, ensure_alert_robot
from tests.syncjobs.factories import make_flow, make_records, make_run

pytestmark = pytest.mark.django_db


def test_the_demo_robot_is_configured_once_and_follows_the_server(sandbox):
    channel = ensure_alert_robot(sandbox.base_url)
    again = ensure_alert_robot(sandbox.base_url.replace("127.0.0.1", "localhost"))

    assert again.pk == channel.pk and NotificationChannel.objects.count() == 1
    assert again.webhook_url.startswith(
        sandbox.base_url.replace("127.0.0.1", "localhost") + "/sandbox/im/wecom/"
    )
    assert list(AlertRule.objects.get().channels.all()) == [channel]


def test_the_demos_failed_records_reach_the_sandbox_robot(sandbox):
    channel = ensure_alert_robot(sandbox.base_url)
    key = channel.webhook_url.rsplit("key=", 1)[1]
    flow = make_flow("customers")
    make_records(
        make_run(flow, status=RunStatus.PARTIAL), 3, status=RecordStatus.FAILED, error_message="客户编码重复"
    )

    assert send_alerts() == ["records-attention:customers"]

    response = sandbox.http.get(f"{sandbox.base_url}/sandbox/im/messages", params={"robot": key}, timeout=30)
    (message,) = response.json()["messages"]
    assert message["code"] == 0 and "3 records of “Customers” need attention" in message["content"]
    assert ROBOT_CHANNEL == channel.name
