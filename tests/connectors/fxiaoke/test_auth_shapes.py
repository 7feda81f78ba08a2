"""The client reads the authentication errors in both shapes it may meet.

The live platform (one public capture: fxp/skillify, skills/fxiaoke/data/probe-log.md;
single-source) answers a fake appId or secret with 10006 and business-call token errors
(20016, 20017) without ``errorDescription``; the code table documents 20006 for a bad appId
and shows ``errorDescription`` on every answer. Each shape is served here over HTTP by the
recording stand-in, so the client is held to both, whichever the real server sends.
"""

import pytest
from django.utils import translation

from connectors.errors import AuthenticationError, AuthExpiredError
from connectors.fxiaoke import FxiaokeClient, FxiaokeConfig
from connectors.retrying import RetryPolicy
from connectors.state import DatabaseState
from tests.connectors.fxiaoke.recorder import OK

TOKEN = "/cgi/corpAccessToken/get/V2"
LIST = "/cgi/crm/v2/object/list"
GATEWAY_TRACE = "open-api-gateway-web/0a1b2c3d"
LIVE_BAD_CREDENTIALS = {
    "errorCode": 10006,
    "errorMessage": "the parameter appSecret is missing or illegal",
    "errorDescription": "缺少参数或参数不合法",
    "traceId": GATEWAY_TRACE,
}
DOCUMENTED_BAD_APP = {"errorCode": 20006, "errorMessage": "appId或appSecret错误", "traceId": "E-O.0.0-1"}
LIVE_TOKEN_MISSING = {
    "traceId": "E-O.null.-1000-1",
    "errorMessage": "corpAccessToken为必填项，不能为空",
    "errorCode": 20017,
}
LIVE_TOKEN_INVALID = {
    "traceId": "E-O.null.-1000-2",
    "errorMessage": "the cropId,cropAccessToken or authorization is error",
    "errorCode": 20016,
}
DOCUMENTED_TOKEN_INVALID = {**LIVE_TOKEN_INVALID, "errorDescription": "corpAccessToken不存在或者已经过期"}


@pytest.fixture
def client(crm, db):
    config = FxiaokeConfig(
        base_url=crm.url,
        app_id="FSAID_1317cf4",
        app_secret="shape-secret",
        permanent_code="SHAPE-CODE",
        open_user_id="FSUID_" + "B" * 32,
        connector_key=f"fxiaoke:shapes:{crm.url}",
    )
    client = FxiaokeClient(config, state=DatabaseState(), retry_policy=RetryPolicy(max_attempts=3))
    yield client
    client.close()


@pytest.mark.parametrize(
    "reply",
    [
        LIVE_BAD_CREDENTIALS,
        {k: v for k, v in LIVE_BAD_CREDENTIALS.items() if k != "errorDescription"},
        DOCUMENTED_BAD_APP,
        {**DOCUMENTED_BAD_APP, "errorDescription": "appId不存在"},
    ],
    ids=["10006-live", "10006-no-description", "20006-documented", "20006-with-description"],
)
def test_a_bad_app_id_or_secret_is_a_permanent_credential_error_in_either_code_and_shape(client, crm, reply):
    crm.replies[TOKEN] = reply

    with pytest.raises(AuthenticationError) as raised:
        client.list_objects()

    assert raised.value.code == reply["errorCode"] and raised.value.trace_id == reply["traceId"]
    assert reply["errorMessage"] in raised.value.message
    assert raised.value.details == ([reply["errorDescription"]] if "errorDescription" in reply else [])
    assert len(crm.bodies(TOKEN)) == 1  # a permanent error is not retried
    assert crm.bodies(LIST) == []


@pytest.mark.parametrize("reply", [LIVE_BAD_CREDENTIALS, DOCUMENTED_BAD_APP], ids=["10006", "20006"])
def test_the_connection_check_names_the_app_credentials_for_10006_and_20006(client, crm, reply):
    crm.replies[TOKEN] = reply

    with translation.override("en"):
        result = client.test_connection()

    assert not result.ok and "appSecret" in result.message and "appId" in result.message
    assert result.details == {
        "step": "token",
        "code": reply["errorCode"],
        "trace_id": reply["traceId"],
        "error": "AuthenticationError",
    }


@pytest.mark.parametrize(
    "rejected", [LIVE_TOKEN_INVALID, DOCUMENTED_TOKEN_INVALID], ids=["live", "documented"]
)
def test_a_rejected_token_is_renewed_once_whether_or_not_the_answer_has_a_description(client, crm, rejected):
    crm.replies[LIST] = [rejected, {**OK, "objects": [{"describeApiName": "AccountObj"}]}]

    objects = client.list_objects()

    assert [o["api_name"] for o in objects] == ["AccountObj"]
    assert len(crm.bodies(TOKEN)) == 2 and len(crm.bodies(LIST)) == 2


def test_a_token_rejected_again_after_renewal_is_auth_expired_with_the_crm_s_words(client, crm):
    crm.replies[LIST] = LIVE_TOKEN_INVALID

    with pytest.raises(AuthExpiredError) as raised:
        client.list_objects()

    assert raised.value.code == 20016 and raised.value.details == []
    assert "the cropId,cropAccessToken or authorization is error" in raised.value.message
    assert raised.value.trace_id == "E-O.null.-1000-2"


def test_a_missing_token_answer_is_a_permanent_credential_error_without_a_description(client, crm):
    crm.replies[LIST] = LIVE_TOKEN_MISSING

    with pytest.raises(AuthenticationError) as raised:
        client.list_objects()

    assert raised.value.code == 20017 and raised.value.details == []
    assert "corpAccessToken为必填项，不能为空" in raised.value.message
    assert len(crm.bodies(LIST)) == 1 and len(crm.bodies(TOKEN)) == 1


def test_an_answer_with_only_a_description_still_carries_the_crm_s_words(client, crm):
    crm.replies[TOKEN] = {"errorCode": 10006, "errorDescription": "缺少参数或参数不合法"}

    with pytest.raises(AuthenticationError) as raised:
        client.list_objects()

    assert "缺少参数或参数不合法" in raised.value.message and raised.value.trace_id is None
