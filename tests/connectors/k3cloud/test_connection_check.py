"""``test_connection()``: a login and a one-row query, explained in plain words when they fail."""

import socket

import pytest
from django.utils import translation

from connectors.checks import ConnectionCheck


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.parametrize("mode", ["password", "app_secret", "sign", "signed_headers"])
def test_a_working_connection_says_so(make_client, erp, mode):
    check = make_client(mode).test_connection()

    assert isinstance(check, ConnectionCheck)
    assert check.ok, check.message
    assert erp["acct_id"] in check.message and "test query" in check.message
    assert check.details["rows"] == 1


def test_a_wrong_password_is_explained_by_its_login_result_type(make_client):
    check = make_client("password", password="wrong-password").test_connection()

    assert not check.ok
    assert check.details["login_result_type"] == 0
    assert "user name or the password" in check.message
    assert "用户名或密码错误" in check.message  # the ERP's own words follow
    assert "wrong-password" not in str(check.details) + check.message


def test_an_unknown_account_set_is_explained(make_client):
    check = make_client("password", acct_id="no-such-account-set").test_connection()

    assert not check.ok
    assert check.details["login_result_type"] == -1
    assert "account set “no-such-account-set” may not exist" in check.message


@pytest.mark.parametrize("mode", ["app_secret", "sign"])
def test_a_wrong_app_secret_points_at_the_app_credentials(make_client, mode):
    check = make_client(mode, app_secret="not-the-secret").test_connection()

    assert not check.ok
    assert "app ID and app secret" in check.message
    assert "not-the-secret" not in check.message


def test_a_wrong_signature_in_signed_header_mode_is_explained(make_client):
    check = make_client("signed_headers", app_secret="not-the-secret").test_connection()

    assert not check.ok
    assert check.details["stage"] == "query"
    assert "refused the signed request" in check.message


def test_an_unreachable_server_is_explained(make_client):
    server_url = f"http://127.0.0.1:{free_port()}/k3cloud/"
    check = make_client("password", server_url=server_url).test_connection()

    assert not check.ok
    assert check.details["stage"] == "login"
    assert check.message.startswith(f"Cannot reach the K3Cloud server at {server_url}")


def test_a_server_that_is_not_k3cloud_is_explained(make_client, sandbox):
    check = make_client("password", server_url=f"{sandbox.base_url}/not-k3cloud/").test_connection()

    assert not check.ok
    assert "HTTP 404" in check.message and "/k3cloud/" in check.message


def test_a_login_that_works_but_a_refused_query_names_the_form(make_client):
    check = make_client("password").test_connection(form_id="BD_NoSuchForm")

    assert not check.ok
    assert check.details["stage"] == "query"
    assert "Logged in, but the test query on BD_NoSuchForm failed" in check.message
    assert "业务对象不存在" in check.message
