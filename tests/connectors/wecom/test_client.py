"""The 企业微信 robot client against the simulated robot: markdown, byte limit, typed errors."""

import pytest

from connectors.errors import AuthenticationError, PermanentError, RateLimitedError
from connectors.wecom import WecomRobot, WecomRobotConfig


def robot(sandbox, path):
    return WecomRobot(WecomRobotConfig(webhook_url=sandbox.base_url + path))


def test_it_sends_markdown_with_the_title_in_bold(sandbox, robots):
    answer = robot(sandbox, robots["wecom"]["path"]).send_markdown("订单同步失败", "3 条记录需要处理")

    assert answer == {"errcode": 0, "errmsg": "ok"}
    assert sandbox.calls("im")[-1]["detail"] == "**订单同步失败**\n3 条记录需要处理"


def test_it_cuts_long_markdown_to_4096_bytes_so_the_robot_takes_it(sandbox, robots):
    answer = robot(sandbox, robots["wecom"]["path"]).send_markdown("标题", "告" * 3000)

    assert answer["errcode"] == 0


def test_an_unknown_key_is_an_authentication_error_that_hides_the_key(sandbox, robots):
    path = "/sandbox/im/wecom/cgi-bin/webhook/send?key=secret-key-0001"

    with pytest.raises(AuthenticationError) as raised:
        robot(sandbox, path).send_markdown("t", "x")

    assert raised.value.code == 93000
    assert "secret-key-0001" not in str(raised.value)


def test_too_many_messages_a_minute_is_a_rate_limit_to_wait_out(sandbox, robots):
    sandbox.set_faults("im", wecom_per_minute=1)
    client = robot(sandbox, robots["wecom"]["path"])
    client.send_markdown("t", "x")

    with pytest.raises(RateLimitedError) as raised:
        client.send_markdown("t", "x")

    assert (raised.value.code, raised.value.retry_after) == (45009, 60)


def test_a_page_that_is_not_the_robot_is_a_permanent_error(sandbox, robots):
    with pytest.raises(PermanentError):
        robot(sandbox, "/sandbox/im/wecom/elsewhere?key=x").send_markdown("t", "x")


def test_the_config_never_shows_its_url():
    assert "key" not in repr(WecomRobotConfig(webhook_url="https://x/send?key=abc"))


def test_robot_urls_are_redacted_in_log_lines():
    from connectors.redaction import redact_text

    line = (
        '"POST /cgi-bin/webhook/send?key=abc-123 HTTP/1.1" "POST /robot/send?access_token=tok&timestamp=1" '
        '"POST /open-apis/bot/v2/hook/uuid-9 HTTP/1.1"'
    )

    assert redact_text(line) == (
        '"POST /cgi-bin/webhook/send?key=*** HTTP/1.1" "POST /robot/send?access_token=***&timestamp=1" '
        '"POST /open-apis/bot/v2/hook/*** HTTP/1.1"'
    )
