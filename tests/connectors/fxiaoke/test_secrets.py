"""No appSecret, permanentCode or corpAccessToken in any log line or error text."""

import logging

import pytest

from connectors.errors import ConnectorError


def test_no_secret_or_token_reaches_the_logs_or_errors(sandbox, tenant, make_client, caplog):
    caplog.set_level(logging.DEBUG)
    client = make_client()
    tokens = {client._api.tokens.current().value}
    sandbox.expire_sessions("fxiaoke")
    client.list_objects()  # refused token, renewal, repeat
    tokens.add(client._api.tokens.current().value)
    errors = []
    for call in (
        lambda: client.create("AccountObj", {"name": "x", "colour": "blue"}),
        lambda: make_client(app_secret=tenant["app_secret"] + "-wrong").list_objects(),
        lambda: make_client(permanent_code=tenant["permanent_code"] + "-wrong").list_objects(),
    ):
        with pytest.raises(ConnectorError) as raised:
            call()
        errors.append(raised.value)
    checks = [make_client(app_secret="wrong").test_connection(), client.test_connection()]

    texts = [record.getMessage() for record in caplog.records]
    texts += [str(error) + repr(error.details) for error in errors]
    texts += [check.message + repr(check.details) for check in checks]
    texts.append(repr(client.config))
    secrets = {tenant["app_secret"], tenant["permanent_code"], *tokens}
    assert len(tokens) == 2 and len(texts) > 10
    assert [text for text in texts if any(secret in text for secret in secrets)] == []
