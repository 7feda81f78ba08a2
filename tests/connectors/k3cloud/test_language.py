"""The client with an English session (lcid 1033): session loss by MsgCode, refusals typed.

Spec §9: English servers word session loss "Session information is lost…" (the first words
are seen in public code, single source). The client renews on MsgCode 1 whatever the
language; a refusal carrying the session-loss text under another code counts as well.
"""

import pytest

from connectors.k3cloud.errors import (
    ErpFailureError,
    NotOperableError,
    SessionLostError,
    error_from_status,
    is_session_lost,
)
from connectors.k3cloud.results import ResponseStatus


def refusal(msg_code, message):
    return ResponseStatus.parse(
        {"IsSuccess": False, "MsgCode": msg_code, "Errors": [{"FieldName": None, "Message": message}]}
    )


def first_customer(client):
    return [
        r["FNumber"] for r in client.query("BD_Customer", "FNumber", order_string="FNumber ASC", max_rows=1)
    ]


@pytest.mark.parametrize("lcid", [1033, 2052])
def test_a_session_lost_in_either_language_is_renewed_once(make_client, sandbox, call_log, lcid):
    client = make_client("password", lcid=lcid)
    before = first_customer(client)
    sandbox.expire_sessions("k3cloud")

    assert first_customer(client) == before
    assert len(call_log("ValidateUser")) == 2
    lost = [c for c in call_log("ExecuteBillQuery") if c["outcome"] == "session_lost"]
    assert len(lost) == 1


def test_an_english_refusal_is_typed_like_the_chinese_one(make_client):
    client = make_client("password", lcid=1033)
    order = client.save(
        "SAL_SaleOrder",
        {
            "FCustId": {"FNumber": "CUST0001"},
            "FSaleOrderEntry": [{"FMaterialId": {"FNumber": "01.0001"}, "FQty": 1, "FTaxPrice": "10"}],
        },
        is_auto_submit_and_audit=True,
    )
    with pytest.raises(NotOperableError) as again:
        client.audit("SAL_SaleOrder", numbers=[order.number])
    assert again.value.message.endswith("the bill has already been audited!")


@pytest.mark.parametrize(
    "text", ["Session information is lost, please log in again.", "会话信息已丢失，请重新登录"]
)
def test_session_loss_is_recognised_by_msgcode_first_then_by_its_text(text):
    assert is_session_lost(refusal(1, "anything at all"))
    assert is_session_lost(refusal(4, text))
    assert isinstance(error_from_status(refusal(4, text), "Save"), SessionLostError)


def test_other_refusals_are_not_session_loss():
    assert not is_session_lost(refusal(4, "Object reference not set to an instance of an object."))
    assert type(error_from_status(refusal(4, "boom"), "Save")) is ErpFailureError
    assert not is_session_lost(ResponseStatus.parse({"IsSuccess": True, "MsgCode": 0}))
