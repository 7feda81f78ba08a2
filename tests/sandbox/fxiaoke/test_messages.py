"""``/cgi/message/send``: the documented body, its answer, and its error codes."""

import pytest
import requests

SEND = "/cgi/message/send"


@pytest.fixture
def corp(fx):
    """The body's auth for the message endpoint: token and corpId, no currentOpenUserId."""
    auth = fx.auth()
    return {"corpAccessToken": auth["corpAccessToken"], "corpId": auth["corpId"]}


def test_a_text_message_answers_the_envelope_only(fx, corp):
    body = {
        **corp,
        "toUser": [fx.tenant["sales_open_user_id"]],
        "msgType": "text",
        "text": {"content": "订单 SO000001 已发货"},
    }

    answer = fx.post(SEND, body)

    assert set(answer) == {"errorCode", "errorMessage", "errorDescription", "traceId"}
    assert answer["errorCode"] == 0
    call = fx.calls()[-1]
    assert (call["operation"], call["outcome"], call["rows"]) == (SEND, "ok", 1)


@pytest.mark.parametrize(
    ("change", "code"),
    [
        (lambda sales: {"toUser": []}, 10015),
        (lambda sales: {"toUser": sales}, 11016),  # not a list
        (lambda sales: {"toUser": ["FSUID_" + "0" * 32]}, 11016),  # not an employee of this enterprise
        (lambda sales: {"toUser": [sales] * 501}, 11016),  # more than 500 recipients
        (lambda sales: {"msgType": "telegram"}, 11017),
        (lambda sales: {"msgType": "image"}, 12003),
        (lambda sales: {"text": {"content": "  "}}, 12005),
    ],
)
def test_message_errors_have_their_documented_codes(fx, corp, change, code):
    sales = fx.tenant["sales_open_user_id"]
    body = {**corp, "toUser": [sales], "msgType": "text", "text": {"content": "你好"}, **change(sales)}

    assert fx.post(SEND, body)["errorCode"] == code


def test_an_empty_post_is_12004(fx):
    response = requests.post(fx.base + SEND, data=b"", timeout=30)

    assert response.json()["errorCode"] == 12004
