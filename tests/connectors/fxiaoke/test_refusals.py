"""Calls the CRM refused (daily quota used up, too frequent) are counted per interface."""

import pytest

from connectors import refusals
from connectors.errors import QuotaExhaustedError
from connectors.fxiaoke import paths
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
