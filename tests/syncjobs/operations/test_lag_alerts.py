"""The lag alert: fired after ten minutes over the threshold, recovered when the flow catches up."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core import mail

from syncjobs.models import LagExcess, RunStatus
from syncjobs.operations import control, lag_alerts
from syncjobs.operations.alerts import send_alerts
from syncjobs.operations.notify.causes import cause_choices
from tests.syncjobs.factories import make_flow, make_run
from tests.syncjobs.operations.notify_support import channel, robot_messages, rule

pytestmark = pytest.mark.django_db
START = datetime(2026, 12, 4, 1, 0, tzinfo=UTC)


def read_at(flow, started):
    return make_run(
        flow,
        status=RunStatus.SUCCEEDED,
        queued_at=started,
        started_at=started,
        finished_at=started + timedelta(minutes=1),
    )


def check_at(minutes):
    """Run the alert check ``minutes`` after ``START`` under a frozen clock; the causes sent."""
    at = START + timedelta(minutes=minutes)
    with time_machine.travel(at, tick=False):
        return send_alerts(at)


@pytest.fixture
def orders():
    """A flow on a five-minute schedule (threshold 15 minutes) whose last read started at START."""
    flow = make_flow("orders", enabled=True, schedule_minutes=5)
    read_at(flow, START)
    return flow


def test_the_lag_alert_fires_only_after_ten_minutes_over_the_threshold(integration_admin, orders):
    assert check_at(14) == []  # 14 minutes behind: under the threshold
    assert check_at(16) == []  # over it: noted, not yet sent
    assert LagExcess.objects.get(flow=orders).since == START + timedelta(minutes=16)
    assert check_at(21) == []
    assert check_at(25) == []  # nine minutes over

    assert check_at(26) == ["lag:orders"]

    (message,) = mail.outbox
    assert message.subject.endswith("Flow “Orders” is 26 minutes behind its source")
    assert "threshold is 15 minutes and it has been over it for 10 minutes" in message.body


def test_a_flow_that_catches_up_in_between_starts_counting_again(integration_admin, orders):
    check_at(16)
    read_at(orders, START + timedelta(minutes=18))  # a read gets through: 2 minutes behind
    check_at(20)
    assert not LagExcess.objects.exists()

    assert check_at(34) == []  # 16 minutes behind again, since a moment ago
    assert check_at(43) == []
    assert check_at(44) == ["lag:orders"]


def test_when_the_flow_catches_up_the_rules_channels_get_a_recovery(sandbox, robots, orders):
    rule(channel(sandbox, robots), causes=["lag"], send_recovery=True)
    check_at(16)
    assert check_at(26) == ["lag:orders"]

    read_at(orders, START + timedelta(minutes=28))
    assert check_at(30) == []

    texts = robot_messages(sandbox, robots, "wecom")
    assert len(texts) == 2
    assert "is 26 minutes behind its source" in texts[0] and "Minutes behind the source" in texts[0]
    assert texts[1].count("[Recovered]") == 1 and "is 26 minutes behind its source" in texts[1]
    assert not LagExcess.objects.exists()


def test_a_paused_flow_and_a_flow_run_by_hand_raise_no_lag_alert(integration_admin, orders):
    manual = make_flow("customers", enabled=True)  # no schedule: no threshold
    read_at(manual, START - timedelta(days=2))
    control.pause_flow(orders)

    assert check_at(16) == [] and check_at(40) == []
    assert not LagExcess.objects.exists()


def test_the_lag_cause_is_offered_to_rules():
    assert "lag" in dict(cause_choices())


def test_the_lag_alert_names_its_figures(orders):
    LagExcess.objects.create(flow=orders, since=START + timedelta(minutes=16))
    make_run(orders, status=RunStatus.QUEUED, queued_at=START + timedelta(minutes=20))

    (alert,) = lag_alerts.lagging_flows(START + timedelta(minutes=30))

    assert alert.cause == "lag:orders" and alert.flow_ids == (orders.pk,) and alert.severity == 20
    assert dict(alert.facts) == {
        "Minutes behind the source": 30,
        "Threshold in minutes": 15,
        "Runs waiting": 1,
        "Records waiting for a parent": 0,
    }
