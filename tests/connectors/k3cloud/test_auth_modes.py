"""Every auth mode against the sandbox over HTTP; one shared session; renewal when it is lost."""

import logging

import pytest

from connectors.errors import AuthenticationError
from connectors.k3cloud.errors import LoginFailedError

AUTH_MODES = ["password", "app_secret", "sign", "signed_headers"]


def first_customers(client, count=3):
    return [
        row["FNumber"]
        for row in client.query("BD_Customer", "FNumber", order_string="FNumber ASC", max_rows=count)
    ]


@pytest.mark.parametrize("mode", AUTH_MODES)
def test_each_auth_mode_reads_the_same_customers(make_client, mode):
    reference = first_customers(make_client("password"))

    assert first_customers(make_client(mode)) == reference
    assert len(reference) == 3


@pytest.mark.parametrize("mode", ["password", "app_secret", "sign"])
def test_session_modes_log_in_once_for_many_calls(make_client, call_log, mode):
    client = make_client(mode)
    for _ in range(3):
        first_customers(client, 1)

    logins = [c for c in call_log() if c["operation"].startswith(("ValidateUser", "LoginBy"))]
    assert len(logins) == 1
    assert len(call_log("ExecuteBillQuery")) == 3


@pytest.mark.parametrize("mode", AUTH_MODES)
def test_the_api_users_id_comes_from_the_login_and_is_unknown_with_signed_headers(make_client, mode):
    client = make_client(mode)
    users = {row["FNumber"]: row["FUserID"] for row in client.query("SEC_User", "FUserID,FNumber")}

    expected = None if mode == "signed_headers" else users[client.config.username]
    assert client.api_user_id() == expected


def test_clients_of_one_connector_share_its_session(make_client, call_log):
    first = make_client("password", connector_key="k3cloud:shared")
    second = make_client("password", connector_key="k3cloud:shared", state=first.api.state)

    first_customers(first, 1)
    first_customers(second, 1)

    assert len(call_log("ValidateUser")) == 1


def test_a_lost_session_is_renewed_once_and_the_call_repeated(make_client, sandbox, call_log):
    client = make_client("password")
    before = first_customers(client)

    sandbox.expire_sessions("k3cloud")

    assert first_customers(client) == before
    assert len(call_log("ValidateUser")) == 2


def test_signed_headers_recover_from_a_lost_session_cookie(make_client, sandbox, call_log):
    client = make_client("signed_headers")
    before = first_customers(client)
    sandbox.expire_sessions("k3cloud")

    assert first_customers(client) == before
    assert call_log("ValidateUser") == []


def test_a_write_refused_for_a_lost_session_is_repeated_once(make_client, sandbox, call_log):
    client = make_client("password")
    first_customers(client, 1)
    sandbox.expire_sessions("k3cloud")

    result = client.save("BD_Customer", {"FName": "会话续期测试客户"})

    assert client.view("BD_Customer", number=result.number)["Id"] == result.id
    assert len([c for c in call_log("Save") if c["outcome"] == "ok"]) == 1


def test_logout_ends_the_shared_session(make_client, call_log):
    client = make_client("password")
    first_customers(client, 1)

    assert client.logout() is True
    assert client.api.session.current() is None
    first_customers(client, 1)
    assert len(call_log("ValidateUser")) == 2


def test_wrong_password_raises_login_failed_with_the_result_type(make_client):
    client = make_client("password", password="wrong")
    with pytest.raises(LoginFailedError) as raised:
        first_customers(client)
    assert raised.value.code == 0
    assert "用户名或密码错误" in raised.value.message


def test_wrong_app_secret_is_refused_in_every_app_mode(make_client):
    for mode in ("app_secret", "sign"):
        with pytest.raises(LoginFailedError):
            first_customers(make_client(mode, app_secret="not-the-secret"))
    with pytest.raises(AuthenticationError):
        first_customers(make_client("signed_headers", app_secret="not-the-secret"))


def test_no_secret_or_session_id_reaches_the_log(make_client, sandbox, caplog):
    caplog.set_level(logging.DEBUG)
    client = make_client("password")
    first_customers(client, 1)
    sandbox.expire_sessions("k3cloud")
    first_customers(client, 1)
    client.save("BD_Customer", {"FName": "日志检查客户"})
    session_id = client.api.session.current()["sid"]

    text = "\n".join(record.getMessage() for record in caplog.records)
    assert "logged in" in text
    for secret in (client.config.password, client.config.app_secret, session_id):
        assert secret not in text


def test_the_client_keeps_kdsvc_session_id_not_the_context_aspnet_id(make_client):
    """Spec §9: the login reply's Context.SessionId is the ASP.NET id; the key is KDSVCSessionId."""
    client = make_client("password", lcid=1033)
    client.login()
    sid = client.api.session.current()["sid"]
    assert len(sid) == 36 and sid.count("-") == 4
    assert first_customers(client, 1)
