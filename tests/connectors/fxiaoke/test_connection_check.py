"""The "Test connection" button: every outcome in words an administrator can act on."""

import socket

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def check(make_client, **overrides):
    return make_client(**overrides).test_connection()


def test_a_working_connection(make_client, tenant):
    result = check(make_client)
    assert result.ok and tenant["open_user_id"] in result.message
    objects = len(make_client().list_objects())
    assert objects > 10 and result.details == {"open_user_id": tenant["open_user_id"], "objects": objects}


def test_a_wrong_app_secret(make_client):
    result = check(make_client, app_secret="wrong")
    assert not result.ok and "appSecret" in result.message
    assert result.details["step"] == "token" and result.details["code"] == 10006


def test_an_unknown_app_id(make_client):
    # The sandbox answers 10006, as the live platform did for a fake appId (not the table's 20006).
    result = check(make_client, app_id="FSAID_0000000")
    assert not result.ok and "appId" in result.message and result.details["code"] == 10006
    assert result.details["step"] == "token" and result.details["error"] == "AuthenticationError"


def test_an_unknown_permanent_code(make_client):
    result = check(make_client, permanent_code="NOT-AUTHORISED")
    assert not result.ok and "permanentCode" in result.message and result.details["code"] == 20015


def test_an_unknown_user(make_client):
    result = check(make_client, open_user_id="FSUID_" + "0" * 32)
    assert not result.ok and "integration user" in result.message
    assert result.details["step"] == "crm" and result.details["code"] == 20012


def test_an_unknown_mobile_number(make_client):
    result = check(make_client, open_user_id="", mobile="13999999999")
    assert not result.ok and "integration user" in result.message and result.details["step"] == "user"


def test_an_unreachable_server(make_client):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # nothing listens here once the socket closes
    result = check(make_client, base_url=f"http://127.0.0.1:{port}/sandbox/fxiaoke")
    assert not result.ok and f"127.0.0.1:{port}" in result.message and "Cannot reach" in result.message


def test_no_secret_appears_in_any_result(make_client, tenant):
    for result in (check(make_client), check(make_client, permanent_code="NOT-AUTHORISED")):
        text = result.message + repr(result.details)
        assert tenant["app_secret"] not in text and tenant["permanent_code"] not in text
