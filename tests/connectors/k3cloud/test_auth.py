"""Login bodies, LoginBySign's signature and the official SDK's signed headers (spec §2)."""

import hashlib

import pytest
from k3cloud_webapi_sdk.core import webapi_client
from k3cloud_webapi_sdk.main import K3CloudApiSdk

from connectors.k3cloud import K3CloudConfig
from connectors.k3cloud.auth import (
    decode_client_secret,
    login_request,
    login_sign,
    parse_login,
    sdk_path,
    session_headers,
    signed_headers,
)

SAVE_PATH = "/k3cloud/Kingdee.BOS.WebApi.ServicesStub.DynamicFormService.Save.common.kdsvc"
# The spec's synthetic test vector (§2b), checked with Kingdee's SDK.
VECTOR_APP_ID = "123456_422C1/iIyuH4R+Ws526A2/yLyrX6RrOs"


def config(**overrides):
    values = {
        "server_url": "http://erp.example.com/k3cloud/",
        "acct_id": "acct01",
        "username": "api_user",
        "auth_mode": "signed_headers",
        "password": "p@ss",
        "app_id": VECTOR_APP_ID,
        "app_secret": "s3cr3t-app-secret",
    }
    return K3CloudConfig(**{**values, **overrides})


def test_signed_headers_match_the_spec_test_vector():
    headers = signed_headers(config(), SAVE_PATH, 1700000000)

    assert headers["X-Kd-Appdata"] == "YWNjdDAxLGFwaV91c2VyLDIwNTIsMA=="
    assert headers["X-Kd-Signature"] == (
        "Y2NkYTVkMmY0YTExMzQxZmU5NTg3MGE5MzViOTkyYTFlMWEwZDZjNjVjNjc3M2FkZjBiYmE0NTJkY2RjOTU2OA=="
    )
    assert headers["X-Api-Signature"] == (
        "OGYyOGM2NWJjY2FlNjZhZjUyNzViOGRkNTllMzBjYzM3YWNkOGZmZTZkNDA4MGUzYTA4MDJhMGU4Yjg3NWFmOQ=="
    )
    assert headers["X-Api-ClientID"] == "123456"
    assert headers["x-api-timestamp"] == headers["x-api-nonce"] == "1700000000"
    assert headers["X-Kd-Appkey"] == VECTOR_APP_ID


def test_client_secret_is_the_xor_decoded_half_of_the_app_id():
    assert decode_client_secret("422C1/iIyuH4R+Ws526A2/yLyrX6RrOs") == "0123456789abcdef0123456789abcdef"
    assert decode_client_secret("too-short") == ""
    assert decode_client_secret("!" * 32) == ""


def test_signed_path_starts_at_the_first_slash_after_the_host_and_encodes_slashes():
    url = "http://127.0.0.1:8000/sandbox/k3cloud/Kingdee.BOS.WebApi.ServicesStub.AuthService.Logout.common.kdsvc"
    assert (
        sdk_path(url)
        == "%2Fsandbox%2Fk3cloud%2FKingdee.BOS.WebApi.ServicesStub.AuthService.Logout.common.kdsvc"
    )


def test_signed_headers_equal_the_official_sdk_headers(monkeypatch):
    class FrozenTime:
        @staticmethod
        def time():
            return 1700000000

    monkeypatch.setattr(webapi_client, "time", FrozenTime)
    url = (
        "http://erp.example.com/k3cloud/Kingdee.BOS.WebApi.ServicesStub.DynamicFormService.View.common.kdsvc"
    )
    sdk = K3CloudApiSdk("http://erp.example.com/k3cloud/")
    sdk.InitConfig(
        "acct01", "api_user", VECTOR_APP_ID, "s3cr3t-app-secret", "http://erp.example.com/k3cloud/"
    )

    expected = sdk.BuildHeader(url)

    ours = signed_headers(config(), url, 1700000000)
    assert ours == {name: expected[name] for name in ours}


def test_login_sign_is_sha256_of_the_ordinal_sorted_concatenation():
    # sorted: "1700000000" < "APP_1" < "Zed" < "acct01" < "secret" (digits, upper case, lower case)
    expected = hashlib.sha256(b"1700000000APP_1Zedacct01secret").hexdigest()
    assert login_sign("acct01", "Zed", "APP_1", "secret", "1700000000") == expected


def test_login_requests_carry_the_fields_of_each_login_service():
    service, body = login_request(config(auth_mode="password"), 0)
    assert service == "AuthService.ValidateUser"
    assert body == {"acctID": "acct01", "username": "api_user", "password": "p@ss", "lcid": 2052}

    service, body = login_request(config(auth_mode="app_secret"), 0)
    assert service == "AuthService.LoginByAppSecret"
    assert body["appId"] == VECTOR_APP_ID and body["appSecret"] == "s3cr3t-app-secret"

    service, body = login_request(config(auth_mode="sign"), 1700000000.7)
    assert service == "AuthService.LoginBySign"
    assert body["timestamp"] == "1700000000"
    assert body["sign"] == login_sign("acct01", "api_user", VECTOR_APP_ID, "s3cr3t-app-secret", "1700000000")
    assert "appSecret" not in body


def test_signed_header_mode_has_no_login_call():
    with pytest.raises(ValueError):
        login_request(config(auth_mode="signed_headers"), 0)


def test_parse_login_reads_the_session_id_of_a_successful_login(load_fixture):
    outcome = parse_login(load_fixture("login_success.json"))
    assert outcome.ok and outcome.result_type == 1
    assert outcome.session_id == "f6a1c1d3-0b5e-4bb4-9a0c-7d3f2c1b0a99"
    assert outcome.user_id == 100008  # Context.UserId: the FModifierId of what this user saves


def test_parse_login_reports_a_wrong_password_without_a_session(load_fixture):
    outcome = parse_login(load_fixture("login_wrong_password.json"))
    assert not outcome.ok
    assert outcome.result_type == 0
    assert outcome.message == "用户名或密码错误！"
    assert outcome.session_id == "" and outcome.user_id is None


def test_parse_login_never_takes_the_context_session_id(load_fixture):
    """Spec §9: Context.SessionId is the ASP.NET id; without KDSVCSessionId or the cookie, no session."""
    reply = load_fixture("login_success.json")
    assert parse_login(reply).session_id != reply["Context"]["SessionId"]
    outcome = parse_login({**reply, "KDSVCSessionId": None})
    assert not outcome.ok and outcome.session_id == ""


def test_parse_login_falls_back_to_the_session_cookie():
    outcome = parse_login({"LoginResultType": 1}, {"kdservice-sessionid": "from-cookie"})
    assert outcome.ok and outcome.session_id == "from-cookie"


def test_session_headers_send_the_session_as_header_and_cookies():
    headers = session_headers({"sid": "abc", "cookies": {"ASP.NET_SessionId": "xyz"}})
    assert headers["kdservice-sessionid"] == "abc"
    assert headers["Cookie"] == "kdservice-sessionid=abc; ASP.NET_SessionId=xyz"
    assert session_headers(None) == {}


def test_config_keeps_secrets_out_of_its_repr():
    text = repr(config(auth_mode="password"))
    assert "p@ss" not in text and "s3cr3t" not in text
    assert "acct01" in text


def test_config_refuses_an_unknown_auth_mode():
    with pytest.raises(ValueError, match="auth_mode"):
        config(auth_mode="oauth")
