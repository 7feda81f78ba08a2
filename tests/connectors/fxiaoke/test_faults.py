"""Every fault switch of the Fxiaoke sandbox, and what the client makes of it.

Faults drawn before the sandbox knows the tenant (HTTP 500, timeouts, resets) are logged
without one, so calls are read by position in the log (each test's calls come after a mark).
"""

import time
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from connectors.errors import (
    OutcomeUnknownError,
    PermanentError,
    QuotaExhaustedError,
    RateLimitedError,
    TransientError,
)
from connectors.retrying import RetryPolicy

QUERY = "/cgi/crm/v2/data/query"
CREATE = "/cgi/crm/v2/data/create"
TOKEN = "/cgi/corpAccessToken/get/V2"


class CallLog:
    """The sandbox's call log from a mark on."""

    def __init__(self, sandbox):
        self.sandbox = sandbox
        self.mark = 0
        self.set_mark()

    def set_mark(self):
        calls = self.sandbox.calls(system="fxiaoke", after_id=self.mark)
        self.mark = calls[-1]["id"] if calls else self.mark

    def outcomes(self, operation, settle=0):
        """Outcomes of ``operation`` since the mark; waits until ``settle`` calls are logged
        (a held "timeout" call is logged when the sandbox lets go, after the client gave up)."""
        deadline = time.monotonic() + 5
        while True:
            calls = self.sandbox.calls(system="fxiaoke", after_id=self.mark)
            found = [c["outcome"] for c in calls if c["operation"] == operation]
            if len(found) >= settle or time.monotonic() > deadline:
                return found
            time.sleep(0.05)


@pytest.fixture
def log(sandbox, client):
    client.list_objects()  # the token is fetched and cached before the mark
    return CallLog(sandbox)


def read(client):
    return list(client.query("ProductObj", page_size=100))


def create(client, name="故障测试客户"):
    return client.create("AccountObj", {"name": name})


@pytest.fixture
def healing_client(sandbox, make_client):
    """A client whose first wait before a retry clears the faults: the fault hits once, the
    retry meets a healthy sandbox (deterministic, unlike a fault rate below 1)."""
    waits = []

    def sleep(seconds):
        waits.append(seconds)
        sandbox.clear_faults("fxiaoke")

    client = make_client(
        retry_policy=RetryPolicy(max_attempts=4, base_seconds=0.01, cap_seconds=0.1, sleep=sleep)
    )
    client.list_objects()
    client.waits = waits
    return client


@pytest.mark.parametrize(
    ("switches", "outcome"),
    [
        ({"error_rate": 1.0}, "http_500"),
        ({"reset_rate": 1.0}, "reset"),
        ({"busy_rate": 1.0}, "error -1"),
        ({"system_timeout_rate": 1.0}, "error 50009"),
    ],
)
def test_a_read_that_fails_once_is_retried(sandbox, healing_client, switches, outcome):
    log = CallLog(sandbox)
    sandbox.set_faults("fxiaoke", operations=[QUERY], **switches)
    assert len(read(healing_client)) == 12
    assert log.outcomes(QUERY) == [outcome, "ok"]
    assert len(healing_client.waits) == 1


def test_a_read_that_keeps_failing_gives_up_after_the_policys_attempts(sandbox, client, log):
    sandbox.set_faults("fxiaoke", error_rate=1.0, operations=[QUERY])
    with pytest.raises(TransientError) as raised:
        read(client)
    assert raised.value.code == 500
    assert log.outcomes(QUERY) == ["http_500"] * 4


def test_a_read_that_times_out_is_retried(sandbox, make_client, log):
    client = make_client(timeout=0.2)
    sandbox.set_faults("fxiaoke", timeout_rate=1.0, hold_seconds=0.4, operations=[QUERY])
    with pytest.raises(TransientError):
        read(client)
    assert log.outcomes(QUERY, settle=4) == ["timeout"] * 4


def test_latency_beyond_the_timeout_makes_a_read_transient(sandbox, make_client):
    client = make_client(timeout=0.15)
    client.list_objects()
    log = CallLog(sandbox)
    sandbox.set_faults("fxiaoke", latency_ms=300)  # latency applies to every operation
    with pytest.raises(TransientError):
        read(client)
    # The sandbox answered each one late, after the client had stopped waiting.
    assert log.outcomes(QUERY, settle=4) == ["ok"] * 4


@pytest.mark.parametrize(
    ("switches", "outcome"),
    [
        ({"drop_after_commit_rate": 1.0}, "ok_dropped"),
        ({"timeout_rate": 1.0, "hold_seconds": 0.4}, "timeout"),
        ({"reset_rate": 1.0}, "reset"),
        ({"error_rate": 1.0}, "http_500"),
    ],
)
def test_a_create_whose_answer_is_lost_is_outcome_unknown_and_sent_once(
    sandbox, make_client, switches, outcome
):
    client = make_client(timeout=0.2)
    client.list_objects()
    log = CallLog(sandbox)
    sandbox.set_faults("fxiaoke", operations=[CREATE], **switches)
    with pytest.raises(OutcomeUnknownError):
        create(client, name=f"丢失应答-{outcome}")
    assert log.outcomes(CREATE, settle=1) == [outcome]


def test_a_dropped_create_was_applied_once(sandbox, client, log):
    sandbox.set_faults("fxiaoke", drop_after_commit_rate=1.0, operations=[CREATE])
    with pytest.raises(OutcomeUnknownError):
        create(client, name="已提交但应答丢失")
    sandbox.clear_faults("fxiaoke")
    found = list(client.query("AccountObj", filters=[("name", "EQ", "已提交但应答丢失")]))
    assert len(found) == 1


def test_a_busy_read_is_retried_with_the_crms_code(sandbox, client, log):
    sandbox.set_faults("fxiaoke", busy_rate=1.0, operations=[QUERY])
    with pytest.raises(TransientError) as raised:
        read(client)
    assert raised.value.code == -1 and raised.value.trace_id
    assert log.outcomes(QUERY) == ["error -1"] * 4


@pytest.mark.parametrize(("switch", "code"), [("busy_rate", -1), ("system_timeout_rate", 50009)])
def test_a_write_answered_busy_or_timeout_is_outcome_unknown(sandbox, client, log, switch, code):
    sandbox.set_faults("fxiaoke", operations=[CREATE], **{switch: 1.0})
    with pytest.raises(OutcomeUnknownError) as raised:
        create(client)
    assert raised.value.code == code
    assert log.outcomes(CREATE) == [f"error {code}"]


def test_a_rate_limit_answer_is_waited_out_then_reported(sandbox, client, log, sleeps):
    sandbox.set_faults("fxiaoke", rate_limit=2, rate_window_seconds=60, operations=[QUERY])
    read(client)
    read(client)
    with pytest.raises(RateLimitedError) as raised:
        read(client)
    assert raised.value.code == 14001 and raised.value.retry_after == 20.0
    assert log.outcomes(QUERY) == ["ok", "ok"] + ["error 14001"] * 4
    assert len(sleeps) == 3


def test_a_forced_token_expiry_costs_one_refresh_and_the_call_is_repeated(sandbox, client, log):
    sandbox.expire_sessions("fxiaoke")
    assert len(read(client)) == 12
    assert log.outcomes(QUERY) == ["error 20016", "ok"]
    assert log.outcomes(TOKEN) == ["ok"]


def test_the_daily_quota_pauses_until_midnight_in_beijing(sandbox, client, log):
    used = sum(client.call_counts().get(path, 0) for path in client.call_counts() if path != TOKEN)
    sandbox.set_faults("fxiaoke", daily_quota=used + 1)
    read(client)
    with pytest.raises(QuotaExhaustedError) as raised:
        read(client)
    beijing = ZoneInfo("Asia/Shanghai")
    tomorrow = datetime.now(beijing).date() + timedelta(days=1)
    assert raised.value.resets_at == datetime(tomorrow.year, tomorrow.month, tomorrow.day, tzinfo=beijing)
    assert raised.value.code == 30002
    assert log.outcomes(QUERY) == ["ok", "error 30002"]


def test_no_quota_bought_is_permanent(sandbox, client, log):
    sandbox.set_faults("fxiaoke", quota_mode="none")
    with pytest.raises(PermanentError) as raised:
        read(client)
    assert raised.value.code == 30003
    assert log.outcomes(QUERY) == ["error 30003"]


def test_the_token_endpoints_own_limit_is_reported_plainly(sandbox, client):
    sandbox.set_faults("fxiaoke", token_limit_per_minute=1)
    assert client.test_connection().ok
    again = client.test_connection()  # a second fresh token within the minute
    assert not again.ok and again.details == {
        "step": "token",
        "code": 14001,
        "trace_id": again.details["trace_id"],
        "error": "RateLimitedError",
    }


def test_a_record_waiting_for_approval_refuses_updates(sandbox, client):
    sandbox.set_faults("fxiaoke", approval_objects=["AccountObj"])
    data_id = create(client, name="待审批客户")
    assert client.get("AccountObj", data_id)["life_status"] == "under_review"
    with pytest.raises(PermanentError) as raised:
        client.update("AccountObj", data_id, {"remark": "改不了"})
    assert data_id in raised.value.message
