"""Calls the ERP refused for its call limit (MsgCode 14) are counted per interface, apart from calls."""

from connectors import refusals
from connectors.state import DatabaseState

QUERY = "ExecuteBillQuery"


def test_a_call_refused_for_the_call_limit_is_counted_as_a_refusal_of_its_interface(
    make_client, sandbox, sleeps
):
    client = make_client("password")
    client.login()
    sandbox.set_faults("k3cloud", operations=[QUERY], msgcode14_rate=1.0)
    sleeps.then = lambda: sandbox.clear_faults("k3cloud")

    list(client.query("BD_Customer", "FNumber"))

    state, key = DatabaseState(), client.config.connector_key
    assert refusals.counts(state, key) == {QUERY: 1}
    assert state.call_counts(key)[QUERY] == 2  # the refused call and its repeat, each a call


def test_calls_the_erp_answered_are_no_refusals(make_client):
    client = make_client("password")

    list(client.query("BD_Customer", "FNumber"))

    assert refusals.counts(DatabaseState(), client.config.connector_key) == {}
