"""Calls the CRM refused (daily quota used up, too frequent) are counted per interface."""

import pytest

from connectors import refusals
from connectors.errors import QuotaExhaustedError, RateLimitedError
from connectors.fxiaoke import paths
from connectors.retrying import RetryPolicy
from connectors.state import DatabaseState


def accounts(client):
    return list(client.query("AccountObj", [], field_projection=["_id"], page_size=5))


def test_a_call_refused_for_the_daily_quota_is_counted_as_a_refusal_of_its_interface(make_client, sandbox):
    client = make_client()
    accounts(client)  # the token is fetched before the quota is set
    sandbox.set_faults("fxiaoke", daily_quota=1)

    with pytest.raises(QuotaExhaustedError):
        accounts(client)
        accounts(client)

    state, key = DatabaseState(), client.config.connector_key
    assert refusals.counts(state, key) == {paths.data_path("AccountObj", "query"): 1}
    assert sum(refusals.counts(state, key).values()) < sum(state.call_counts(key).values())


def test_a_call_refused_as_too_frequent_is_counted_as_a_refusal_of_its_interface(make_client, sandbox):
    # The client believes in a far larger budget than the sandbox grants, so the CRM says 14001.
    client = make_client(rate_limit=1000, retry_policy=RetryPolicy(max_attempts=1))
    client.list_objects()  # the token call and a first list, before the sandbox's limit is set
    sandbox.set_faults("fxiaoke", rate_limit=1, rate_window_seconds=60)  # that list used it up

    with pytest.raises(RateLimitedError):
        client.list_objects()

    assert refusals.counts(DatabaseState(), client.config.connector_key) == {paths.OBJECT_LIST: 1}
