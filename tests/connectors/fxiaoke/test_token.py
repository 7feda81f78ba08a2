"""The corpAccessToken and the integration user, shared through the connector state."""

import pytest

from connectors.errors import AuthenticationError
from connectors.fxiaoke.token import REFRESH_MARGIN_SECONDS
from connectors.retrying import RetryPolicy
from connectors.state import DatabaseState

TOKEN = "/cgi/corpAccessToken/get/V2"
BY_MOBILE = "/cgi/user/getByMobile"


def calls_to(sandbox, tenant, operation):
    return [
        c for c in sandbox.calls(system="fxiaoke", tenant=tenant["tenant"]) if c["operation"] == operation
    ]


def test_clients_of_one_connector_share_one_token(make_client, sandbox, tenant):
    first = make_client(connector_key="fxiaoke:shared")
    second = make_client(connector_key="fxiaoke:shared")
    first.list_objects()
    second.list_objects()
    assert len(calls_to(sandbox, tenant, TOKEN)) == 1


def test_the_token_is_kept_until_shortly_before_it_expires(make_client, sandbox, tenant, clock):
    client = make_client(state=DatabaseState(clock=clock))
    client.list_objects()
    clock.advance(7200 - REFRESH_MARGIN_SECONDS - 1)
    client.list_objects()
    assert len(calls_to(sandbox, tenant, TOKEN)) == 1

    clock.advance(2)
    client.list_objects()
    assert len(calls_to(sandbox, tenant, TOKEN)) == 2


def test_the_token_endpoint_is_called_at_most_8_times_a_minute(make_client, sandbox, tenant, clock):
    policy = RetryPolicy(max_attempts=1, sleep=clock.sleep)
    client = make_client(state=DatabaseState(clock=clock), retry_policy=policy)
    for _ in range(10):
        client._api.tokens.fetch_new()
    assert len(clock.slept) == 1 and 59 < clock.slept[0] <= 60
    assert [c["outcome"] for c in calls_to(sandbox, tenant, TOKEN)] == ["ok"] * 10


def test_a_renewal_takes_the_token_another_worker_already_fetched(make_client, sandbox, tenant):
    first = make_client(connector_key="fxiaoke:renew")
    second = make_client(connector_key="fxiaoke:renew")
    first.list_objects()
    refused = second._api.tokens.current()
    sandbox.expire_sessions("fxiaoke")

    first.list_objects()  # answered 20016, renews the token
    renewed = second._api.tokens.renew(refused)

    assert renewed.value != refused.value
    assert renewed == first._api.tokens.current()
    assert len(calls_to(sandbox, tenant, TOKEN)) == 2


def test_the_integration_user_is_found_once_by_mobile(make_client, sandbox, tenant):
    clients = [
        make_client(connector_key="fxiaoke:mobile", open_user_id="", mobile=tenant["mobile"]) for _ in "ab"
    ]
    assert [c.resolve_open_user_id() for c in clients] == [tenant["open_user_id"]] * 2
    assert "LeadsObj" in {o["api_name"] for o in clients[1].list_objects()}
    assert len(calls_to(sandbox, tenant, BY_MOBILE)) == 1


def test_an_unknown_mobile_number_is_an_authentication_error(make_client):
    client = make_client(open_user_id="", mobile="13999999999")
    with pytest.raises(AuthenticationError) as raised:
        client.list_objects()
    assert raised.value.field == "mobile" and "13999999999" in raised.value.message


def test_a_connector_without_user_says_what_to_enter(make_client):
    client = make_client(open_user_id="", mobile="")
    with pytest.raises(AuthenticationError) as raised:
        client.list_objects()
    assert "openUserId" in raised.value.message
