"""The 飞书 bot client against the simulated bot: signed cards, keywords, every refusal typed."""

import pytest

from connectors.errors import AuthenticationError, RateLimitedError
from connectors.feishu import FeishuBot, FeishuBotConfig, sign
from connectors.feishu.errors import KeywordMissingError
from connectors.http import HttpTransport


def bot(sandbox, details, **changes):
    config = {
        "webhook_url": sandbox.base_url + details["path"],
        "secret": details["secret"],
        "keywords": tuple(details["keywords"]),
        **changes,
    }
    return FeishuBot(FeishuBotConfig(**config))


def test_the_sign_matches_a_known_vector():
    # Computed independently: the HMAC key is "1700000000\nfeishu-secret", the message empty.
    assert sign("feishu-secret", "1700000000") == "OrBzY1Y01Gq+HgJsl+7OfWcMVwc7YocohQm5iiZwjhU="


def test_it_sends_a_signed_card_with_a_keyword(sandbox, robots):
    answer = bot(sandbox, robots["feishu"]).send_markdown(
        "订单同步失败", "**3** 条记录需要处理", tone="critical"
    )

    assert answer["code"] == 0
    detail = sandbox.calls("im")[-1]["detail"]
    assert '"content": "订单同步失败"' in detail and '"template": "red"' in detail


def test_a_wrong_secret_and_an_unknown_hook_are_authentication_errors(sandbox, robots):
    with pytest.raises(AuthenticationError) as wrong:
        bot(sandbox, robots["feishu"], secret="wrong").send_markdown("t", "x")
    unknown = {**robots["feishu"], "path": "/sandbox/im/feishu/open-apis/bot/v2/hook/nope"}
    with pytest.raises(AuthenticationError) as missing:
        bot(sandbox, unknown).send_markdown("t", "x")

    assert (wrong.value.code, missing.value.code) == (19021, 19001)


def test_missing_keywords_are_their_own_permanent_error(sandbox, robots):
    with pytest.raises(KeywordMissingError) as raised:
        bot(sandbox, robots["feishu"], keywords=()).send_markdown("t", "x")

    assert raised.value.code == 19024


def test_frequency_limited_is_a_rate_limit(sandbox, robots):
    sandbox.set_faults("im", feishu_per_minute=1)
    client = bot(sandbox, robots["feishu"])
    client.send_markdown("t", "x")

    with pytest.raises(RateLimitedError) as raised:
        client.send_markdown("t", "x")

    assert raised.value.code == 11232


def test_long_text_is_cut_under_the_body_limit(sandbox, robots):
    assert bot(sandbox, robots["feishu"]).send_markdown("t", "告" * 9000)["code"] == 0


def test_an_answer_in_the_legacy_shape_is_understood(sandbox, robots):
    class Legacy(HttpTransport):
        def post_json(self, url, **kwargs):
            response = super().post_json(url, **kwargs)
            response._content = b'{"StatusCode":0,"StatusMessage":"success"}'
            return response

    client = FeishuBot(
        FeishuBotConfig(
            webhook_url=sandbox.base_url + robots["feishu"]["path"],
            secret=robots["feishu"]["secret"],
            keywords=("Integration Hub",),
        ),
        transport=Legacy("feishu"),
    )

    assert client.send_markdown("t", "x")["StatusCode"] == 0
