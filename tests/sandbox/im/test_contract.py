"""The simulated robots answer as the real ones do: signatures, timestamps, keywords, limits."""

import time
from urllib.parse import quote_plus

import pytest

from sandbox.im.signing import dingtalk_sign, feishu_sign

MARKDOWN = {"msgtype": "markdown", "markdown": {"content": "**Integration Hub** 告警"}}


def dingtalk_body(text="Integration Hub: 订单同步失败"):
    return {"msgtype": "markdown", "markdown": {"title": "告警", "text": text}}


def dingtalk_signed(im, timestamp_ms=None, secret=None):
    timestamp_ms = timestamp_ms or int(time.time() * 1000)
    sign = dingtalk_sign(secret or im.secret("dingtalk"), timestamp_ms)
    return im.url("dingtalk", f"&timestamp={timestamp_ms}&sign={quote_plus(sign)}")


def feishu_body(im, text="Integration Hub 告警", timestamp=None, secret=None):
    timestamp = str(timestamp or int(time.time()))
    return {
        "msg_type": "text",
        "content": {"text": text},
        "timestamp": timestamp,
        "sign": feishu_sign(secret or im.secret("feishu"), timestamp),
    }


# --- 企业微信 ----------------------------------------------------------------------------------
def test_wecom_accepts_markdown_with_its_key(im):
    assert im.post(im.url("wecom"), MARKDOWN) == {"errcode": 0, "errmsg": "ok"}
    call = im.sandbox.calls("im")[-1]
    assert (call["operation"], call["outcome"]) == ("wecom.send", "ok")


def test_wecom_refuses_an_unknown_key_with_93000(im):
    answer = im.post(im.sandbox.base_url + "/sandbox/im/wecom/cgi-bin/webhook/send?key=nope", MARKDOWN)

    assert answer["errcode"] == 93000
    assert answer["errmsg"].startswith("invalid webhook url, hint: [")
    assert "more info at https://open.work.weixin.qq.com/devtool/query?e=93000" in answer["errmsg"]


def test_wecom_refuses_markdown_over_4096_bytes_with_40058(im):
    body = {"msgtype": "markdown", "markdown": {"content": "告" * 1366}}  # 4098 bytes

    answer = im.post(im.url("wecom"), body)

    assert answer["errcode"] == 40058
    assert answer["errmsg"].startswith("markdown.content exceed max length 4096")
    body["markdown"]["content"] = "告" * 1365  # 4095 bytes
    assert im.post(im.url("wecom"), body)["errcode"] == 0


@pytest.mark.parametrize(
    ("body", "code"),
    [({"msgtype": "voice", "voice": {}}, 40008), ({"msgtype": "text", "text": {"content": ""}}, 40035)],
)
def test_wecom_refuses_bodies_it_cannot_send(im, body, code):
    assert im.post(im.url("wecom"), body)["errcode"] == code


def test_wecom_refuses_a_body_that_is_not_json_with_40035(im):
    assert im.post(im.url("wecom"), data=b"not json")["errcode"] == 40035


def test_wecom_allows_so_many_messages_a_minute_then_answers_45009(im):
    im.sandbox.set_faults("im", wecom_per_minute=2)

    codes = [im.post(im.url("wecom"), MARKDOWN)["errcode"] for _ in range(3)]

    assert codes == [0, 0, 45009]
    im.sandbox.advance_clock("im", 61)
    assert im.post(im.url("wecom"), MARKDOWN)["errcode"] == 0


# --- 钉钉 --------------------------------------------------------------------------------------
def test_dingtalk_accepts_a_signed_message_with_a_keyword(im):
    assert im.post(dingtalk_signed(im), dingtalk_body()) == {"errcode": 0, "errmsg": "ok"}


def test_dingtalk_refuses_a_wrong_sign_with_310000(im):
    answer = im.post(dingtalk_signed(im, secret="SECwrong"), dingtalk_body())

    assert answer["errcode"] == 310000 and answer["errmsg"].startswith("sign not match")


def test_dingtalk_refuses_an_unsigned_call_to_a_signing_robot(im):
    answer = im.post(im.url("dingtalk"), dingtalk_body())

    assert answer["errcode"] == 310000 and answer["errmsg"].startswith("sign not match")


def test_dingtalk_refuses_a_timestamp_over_an_hour_old(im):
    old = int((time.time() - 3700) * 1000)

    answer = im.post(dingtalk_signed(im, timestamp_ms=old), dingtalk_body())

    assert answer["errcode"] == 310000 and answer["errmsg"].startswith("invalid timestamp")


def test_dingtalk_refuses_a_message_without_its_keywords(im):
    answer = im.post(dingtalk_signed(im), dingtalk_body("订单同步失败"))

    assert answer["errcode"] == 310000 and answer["errmsg"].startswith("keywords not in content")


def test_dingtalk_refuses_an_unknown_token_with_300001(im):
    url = im.sandbox.base_url + "/sandbox/im/dingtalk/robot/send?access_token=0000"

    assert im.post(url, dingtalk_body())["errcode"] == 300001


def test_dingtalk_refuses_a_message_over_20000_bytes_with_460101(im):
    answer = im.post(dingtalk_signed(im), dingtalk_body("Integration Hub " + "告" * 7000))

    assert answer["errcode"] == 460101


def test_dingtalk_answers_130101_past_its_per_minute_limit(im):
    im.sandbox.set_faults("im", dingtalk_per_minute=1)

    first = im.post(dingtalk_signed(im), dingtalk_body())
    second = im.post(dingtalk_signed(im), dingtalk_body())

    assert first["errcode"] == 0
    assert second == {"errcode": 130101, "errmsg": "send too fast, exceed 20 times per minute"}


# --- 飞书 --------------------------------------------------------------------------------------
def test_feishu_accepts_a_signed_message_with_a_keyword(im):
    answer = im.post(im.url("feishu"), feishu_body(im))

    assert answer["code"] == 0 and answer["StatusCode"] == 0


def test_feishu_refuses_a_wrong_sign_with_19021(im):
    answer = im.post(im.url("feishu"), feishu_body(im, secret="wrong"))

    assert answer == {
        "code": 19021,
        "data": {},
        "msg": "sign match fail or timestamp is not within one hour from current time",
    }


def test_feishu_refuses_a_timestamp_over_an_hour_old_with_19021(im):
    answer = im.post(im.url("feishu"), feishu_body(im, timestamp=int(time.time()) - 3700))

    assert answer["code"] == 19021


def test_feishu_refuses_a_message_without_its_keywords_with_19024(im):
    answer = im.post(im.url("feishu"), feishu_body(im, text="订单同步失败"))

    assert answer == {"code": 19024, "data": {}, "msg": "Key Words Not Found"}


def test_feishu_refuses_an_unknown_hook_and_a_bad_body(im):
    unknown = im.sandbox.base_url + "/sandbox/im/feishu/open-apis/bot/v2/hook/nope"

    assert im.post(unknown, feishu_body(im))["code"] == 19001
    assert im.post(im.url("feishu"), data=b"{")["code"] == 9499
    assert im.post(im.url("feishu"), {**feishu_body(im), "msg_type": "fax"})["code"] == 9499


def test_feishu_answers_11232_past_its_per_minute_limit(im):
    im.sandbox.set_faults("im", feishu_per_minute=1)

    codes = [im.post(im.url("feishu"), feishu_body(im))["code"] for _ in range(2)]

    assert codes == [0, 11232]


def test_the_signatures_match_known_vectors():
    # Computed independently with `openssl dgst -sha256 -hmac` from the documented formulas.
    assert dingtalk_sign("SECabc123", 1700000000000) == "N5P09a4+p1AMJIJWnIvQd2Yxw9+fu/oEBnPrjCcsLXk="
    assert feishu_sign("feishu-secret", "1700000000") == "OrBzY1Y01Gq+HgJsl+7OfWcMVwc7YocohQm5iiZwjhU="
