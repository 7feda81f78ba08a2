"""The 钉钉 robot client against the simulated robot: 加签, keywords and every refusal typed."""

import pytest

from connectors.dingtalk import DingtalkRobot, DingtalkRobotConfig, sign
from connectors.dingtalk.errors import KeywordMissingError
from connectors.errors import AuthenticationError, PermanentError, RateLimitedError


def robot(sandbox, details, **changes):
    config = {
        "webhook_url": sandbox.base_url + details["path"],
        "secret": details["secret"],
        "keywords": tuple(details["keywords"]),
        **changes,
    }
    return DingtalkRobot(DingtalkRobotConfig(**config))


def test_the_sign_matches_a_known_vector():
    # Computed independently: printf '1700000000000\nSECabc123' | openssl dgst -sha256 -hmac SECabc123 -binary | base64
    assert sign("SECabc123", 1700000000000) == "N5P09a4+p1AMJIJWnIvQd2Yxw9+fu/oEBnPrjCcsLXk="


def test_it_sends_signed_markdown_and_adds_a_keyword_when_the_text_has_none(sandbox, robots):
    answer = robot(sandbox, robots["dingtalk"]).send_markdown("订单同步失败", "3 条记录需要处理")

    assert answer["errcode"] == 0
    assert sandbox.calls("im")[-1]["detail"].startswith("Integration Hub\n\n#### 订单同步失败")


def test_a_wrong_secret_is_an_authentication_error(sandbox, robots):
    with pytest.raises(AuthenticationError) as raised:
        robot(sandbox, robots["dingtalk"], secret="SECwrong").send_markdown("t", "x")

    assert raised.value.code == 310000 and "SECwrong" not in str(raised.value)


def test_a_clock_an_hour_off_is_an_authentication_error(sandbox, robots):
    late = robot(sandbox, robots["dingtalk"], clock=lambda: 1_000_000_000.0)

    with pytest.raises(AuthenticationError):
        late.send_markdown("t", "x")


def test_missing_keywords_are_their_own_permanent_error(sandbox, robots):
    with pytest.raises(KeywordMissingError) as raised:
        robot(sandbox, robots["dingtalk"], keywords=()).send_markdown("t", "x")

    assert isinstance(raised.value, PermanentError)


def test_an_unknown_token_is_an_authentication_error(sandbox, robots):
    details = {**robots["dingtalk"], "path": "/sandbox/im/dingtalk/robot/send?access_token=0"}

    with pytest.raises(AuthenticationError) as raised:
        robot(sandbox, details).send_markdown("t", "x")

    assert raised.value.code == 300001


def test_too_fast_is_a_rate_limit_of_a_minute(sandbox, robots):
    sandbox.set_faults("im", dingtalk_per_minute=1)
    client = robot(sandbox, robots["dingtalk"])
    client.send_markdown("t", "x")

    with pytest.raises(RateLimitedError) as raised:
        client.send_markdown("t", "x")

    assert (raised.value.code, raised.value.retry_after) == (130101, 60)


def test_long_text_is_cut_under_the_size_limit(sandbox, robots):
    assert robot(sandbox, robots["dingtalk"]).send_markdown("t", "告" * 9000)["errcode"] == 0
