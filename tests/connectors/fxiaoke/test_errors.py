from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from connectors.errors import (
    AuthenticationError,
    AuthExpiredError,
    OutcomeUnknownError,
    PermanentError,
    QuotaExhaustedError,
    RateLimitedError,
    TransientError,
)
from connectors.fxiaoke.errors import classify, error_from_reply, next_quota_reset

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        (-1, TransientError),
        (-2, TransientError),
        (50009, TransientError),
        (14001, RateLimitedError),
        (30004, RateLimitedError),
        (20016, AuthExpiredError),
        (30002, QuotaExhaustedError),
        (30003, PermanentError),
        (10006, AuthenticationError),
        (20006, AuthenticationError),
        (20015, AuthenticationError),
        (20012, AuthenticationError),
        (10013, PermanentError),
        (32000, PermanentError),
        (123456, PermanentError),
    ],
)
def test_it_types_each_error_code(code, expected):
    assert classify(code) is expected


@pytest.mark.parametrize("code", [-1, -2, 50009])
def test_it_treats_a_busy_or_timed_out_write_as_outcome_unknown(code):
    assert classify(code, is_write=True) is OutcomeUnknownError


def test_it_lets_writes_refused_for_speed_be_repeated():
    assert classify(14001, is_write=True) is RateLimitedError


def test_it_answers_none_for_success():
    assert error_from_reply({"errorCode": 0, "errorMessage": "OK"}, context="x") is None
    assert error_from_reply({"dataId": "abc"}, context="x") is None


def test_it_keeps_the_crm_message_code_and_trace_id():
    reply = {"errorCode": 32000, "errorMessage": "字段[abc]不存在", "traceId": "E-O.1"}
    error = error_from_reply(reply, context="creating AccountObj")
    assert type(error) is PermanentError
    assert error.code == 32000 and error.trace_id == "E-O.1" and error.system == "fxiaoke"
    assert "字段[abc]不存在" in error.message and "creating AccountObj" in error.message


def test_it_never_branches_on_the_message_text():
    words = ["系统繁忙", "token expired", "too frequent", ""]
    kinds = {type(error_from_reply({"errorCode": 10013, "errorMessage": w}, context="q")) for w in words}
    assert kinds == {PermanentError}


def test_it_reads_string_codes():
    assert type(error_from_reply({"errorCode": "20016"}, context="q")) is AuthExpiredError


def test_it_sets_the_wait_on_rate_limit_errors():
    error = error_from_reply(
        {"errorCode": 14001, "errorMessage": "接口调用超过限制"}, context="q", retry_after=20
    )
    assert error.retry_after == 20


def test_it_redacts_secrets_echoed_in_the_crm_message():
    reply = {"errorCode": 10006, "errorMessage": 'bad body {"appSecret": "top-secret"}'}
    error = error_from_reply(reply, context="token")
    assert "top-secret" not in str(error)


def test_quota_resets_at_the_next_midnight_in_beijing():
    reply = {"errorCode": 30002, "errorMessage": "quota"}
    now = datetime(2024, 6, 1, 23, 59, tzinfo=SHANGHAI)
    error = error_from_reply(reply, context="q", now=now)
    assert isinstance(error, QuotaExhaustedError)
    assert error.resets_at == datetime(2024, 6, 2, 0, 0, tzinfo=SHANGHAI)


def test_quota_reset_counts_days_in_beijing_not_utc():
    # 17:00 UTC on 1 June is already 01:00 on 2 June in Beijing.
    now = datetime(2024, 6, 1, 17, 0, tzinfo=ZoneInfo("UTC"))
    assert next_quota_reset(now) == datetime(2024, 6, 3, 0, 0, tzinfo=SHANGHAI)
