"""The literal shapes of the authentication errors, as the live platform answered them.

Every expected answer here comes from one public capture, a probe of open.fxiaoke.com with
fake credentials (fxp/skillify, skills/fxiaoke/data/probe-log.md P2–P6): single-source, so
the sandbox answers exactly that shape and the client (tests/connectors/fxiaoke/
test_auth_shapes.py) also accepts the documented one.
"""

import re

import pytest

from tests.sandbox.fxiaoke.conftest import TOKEN_PATH

QUERY = "/cgi/crm/v2/data/query"
CUSTOM_QUERY = "/cgi/crm/custom/v2/data/query"
ACCOUNTS = {"dataObjectApiName": "AccountObj", "search_query_info": {"limit": 10, "offset": 0}}
UNKNOWN_CALLER = re.compile(r"^E-O\.null\.-1000-[0-9a-f]+$")
GATEWAY = re.compile(r"^open-api-gateway-web/[0-9a-f]+$")


def credentials(fx, **changes):
    good = {
        "appId": fx.tenant["app_id"],
        "appSecret": fx.tenant["app_secret"],
        "permanentCode": fx.tenant["permanent_code"],
    }
    return {**good, **changes}


def test_a_call_without_any_token_gets_20017_with_no_error_description(fx):
    answer = fx.post(QUERY, {"data": ACCOUNTS})

    assert set(answer) == {"traceId", "errorMessage", "errorCode"}
    assert (answer["errorCode"], answer["errorMessage"]) == (20017, "corpAccessToken为必填项，不能为空")
    assert UNKNOWN_CALLER.match(answer["traceId"])


@pytest.mark.parametrize("path", [QUERY, CUSTOM_QUERY])
def test_a_forged_token_gets_20016_with_no_error_description(fx, path):
    body = {"corpAccessToken": "FAKE", "corpId": "FSCID_test", "currentOpenUserId": "FSUID_test"}
    data = {**ACCOUNTS, "dataObjectApiName": "object_test__c"} if path == CUSTOM_QUERY else ACCOUNTS

    answer = fx.post(path, {**body, "data": data})

    assert set(answer) == {"traceId", "errorMessage", "errorCode"}
    assert answer["errorCode"] == 20016
    assert answer["errorMessage"] == "the cropId,cropAccessToken or authorization is error"
    assert UNKNOWN_CALLER.match(answer["traceId"])


def test_an_expired_token_gets_the_same_20016_shape(fx, sandbox):
    auth = fx.auth()
    sandbox.advance_clock("fxiaoke", 7201)

    answer = fx.post(QUERY, {**auth, "data": ACCOUNTS})

    assert set(answer) == {"traceId", "errorMessage", "errorCode"} and answer["errorCode"] == 20016


def test_an_unknown_app_id_gets_10006_as_the_live_platform_answered(fx):
    answer = fx.post(TOKEN_PATH, {"appId": "FSAID_test", "appSecret": "test", "permanentCode": "test"})

    assert set(answer) == {"errorCode", "errorMessage", "errorDescription", "traceId"}
    assert answer["errorCode"] == 10006
    assert answer["errorMessage"] == "the parameter appSecret is missing or illegal"
    assert answer["errorDescription"] == "缺少参数或参数不合法"
    assert GATEWAY.match(answer["traceId"])


@pytest.mark.parametrize("changes", [{"appSecret": "test"}, {"appSecret": None}, {"appId": None}])
def test_a_bad_or_missing_secret_or_app_id_gets_the_same_10006_answer(fx, changes):
    body = {k: v for k, v in credentials(fx, **changes).items() if v is not None}

    answer = fx.post(TOKEN_PATH, body)

    assert (answer["errorCode"], answer["errorDescription"]) == (10006, "缺少参数或参数不合法")
    assert GATEWAY.match(answer["traceId"])


def test_the_code_table_s_20006_is_never_answered(fx):
    answers = [
        fx.post(TOKEN_PATH, credentials(fx, appId=app_id)) for app_id in ("FSAID_0000000", "", 7, ["x"])
    ]

    assert {a["errorCode"] for a in answers} == {10006}


def test_every_token_endpoint_error_carries_the_gateway_trace_id(fx):
    bad_code = fx.post(TOKEN_PATH, credentials(fx, permanentCode="X"))

    assert bad_code["errorCode"] == 20015 and GATEWAY.match(bad_code["traceId"])


def test_a_token_endpoint_success_keeps_the_platform_s_trace_id(fx):
    answer = fx.token()

    assert answer["errorCode"] == 0 and answer["traceId"].startswith("E-O.")
