"""The connector's "Test connection": log in, run a one-row query, explain what went wrong."""

import requests

from connectors.checks import ConnectionCheck
from connectors.errors import ConnectorError, TransientError
from connectors.k3cloud import diagnosis
from connectors.k3cloud.errors import LoginFailedError


def check(client, form_id):
    """Run the check with ``client``; never raises for a connector problem, it explains it."""
    config = client.config
    details = {
        "server_url": config.server_url,
        "acct_id": config.acct_id,
        "username": config.username,
        "auth_mode": config.auth_mode,
        "form_id": form_id,
    }
    try:
        client.login()
    except ConnectorError as error:
        return _failed(client, error, details, stage="login")
    try:
        rows = list(client.query(form_id, ["FNumber"], max_rows=1))
    except ConnectorError as error:
        return _failed(client, error, details, stage="query")
    details["rows"] = len(rows)
    return ConnectionCheck(True, diagnosis.connected(config, form_id), details)


def _failed(client, error, details, stage):
    details.update(stage=stage, error=type(error).__name__, code=error.code)
    if isinstance(error, LoginFailedError):
        details["login_result_type"] = error.code
    return ConnectionCheck(False, _explain(client, error, details["form_id"], stage), details)


def _explain(client, error, form_id, stage):
    config = client.config
    cause = error.__cause__
    if isinstance(error, TransientError) and isinstance(
        cause, requests.ConnectionError | requests.ConnectTimeout
    ):
        return diagnosis.unreachable(config, type(cause).__name__)
    if isinstance(error, TransientError) and isinstance(cause, requests.Timeout):
        return diagnosis.no_answer(config, client.api.transport.timeout)
    if stage == "query" and config.auth_mode != "signed_headers" and not isinstance(error, TransientError):
        return diagnosis.query_refused(form_id, error.message)
    return error.message
