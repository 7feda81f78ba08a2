"""An English session (lcid 1033) is answered in English; a Chinese one (2052) in Chinese.

Spec §9: English servers answer session loss and refusals in English ("Session information
is lost…"). Only those first words are seen in public code (single source); the rest of the
English texts are the simulator's own, so clients must go by MsgCode.
"""

import pytest

from sandbox.k3cloud import messages, wording
from tests.sandbox.k3cloud.conftest import Erp

QUERY = {"data": {"FormId": "BD_Currency", "FieldKeys": "FNumber", "FilterString": "FNumber='PRE001'"}}


def status(reply):
    return reply["Result"]["ResponseStatus"]


def log_in(sandbox, lcid):
    erp = Erp(sandbox, sandbox.seed(size=10, systems=["k3cloud"])["k3cloud"])
    tenant = erp.tenant
    body = {"acctID": tenant["acct_id"], "username": tenant["username"], "password": tenant["password"]}
    assert erp.call("AuthService.ValidateUser", {**body, "lcid": lcid})["LoginResultType"] == 1
    return erp


@pytest.fixture
def english(sandbox):
    return log_in(sandbox, 1033)


def test_an_english_session_losing_its_session_is_told_in_english_with_msgcode_1(english, sandbox):
    assert english.call("DynamicFormService.ExecuteBillQuery", QUERY) == [["PRE001"]]
    sandbox.expire_sessions("k3cloud")

    lost = status(english.call("DynamicFormService.ExecuteBillQuery", QUERY)[0][0])
    saved = status(english.save("BD_Customer", {"FName": "x"}))

    for reply in (lost, saved):
        assert reply["MsgCode"] == 1 and reply["IsSuccess"] is False
        assert reply["Errors"][0]["Message"].startswith("Session information is lost")


def test_a_chinese_session_losing_its_session_is_still_told_in_chinese(sandbox):
    chinese = log_in(sandbox, 2052)
    sandbox.expire_sessions("k3cloud")
    lost = status(chinese.call("DynamicFormService.ExecuteBillQuery", QUERY)[0][0])
    assert (lost["MsgCode"], lost["Errors"][0]["Message"]) == (1, "会话信息已丢失，请重新登录")


def test_refusals_of_an_english_session_are_in_english(english):
    order_id, number = english.audited_order()
    refused = status(english.op("Audit", "SAL_SaleOrder", {"Ids": str(order_id)}))
    assert refused["Errors"][0]["Message"] == (
        f"Sales Order with bill number “{number}”: the bill has already been audited!"
    )
    deleted = status(english.op("Delete", "SAL_SaleOrder", {"Ids": str(order_id)}))
    assert deleted["Errors"][0]["Message"].startswith("Only data in status")


def test_a_login_asking_for_english_is_refused_in_english(anonymous):
    tenant = anonymous.tenant
    body = {"acctID": tenant["acct_id"], "username": tenant["username"], "password": "wrong", "lcid": 1033}
    reply = anonymous.call("AuthService.ValidateUser", body)
    assert (reply["LoginResultType"], reply["Message"]) == (0, "The user name or password is incorrect!")


def test_a_text_the_english_set_lacks_falls_back_to_the_chinese_one():
    english = wording.for_lcid(1033)
    assert english.SESSION_LOST != messages.SESSION_LOST
    assert english.BAD_DATE_IN_FILTER == messages.BAD_DATE_IN_FILTER
    assert wording.for_lcid("not a number").SESSION_LOST == messages.SESSION_LOST
