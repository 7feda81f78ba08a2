"""The connector's circuit breaker around every K3Cloud call, over HTTP against the sandbox."""

import pytest

from connectors.errors import CircuitOpenError, TransientError
from connectors.guard import connector_breaker
from connectors.state import DatabaseState


@pytest.fixture(autouse=True)
def small_breaker(settings):
    settings.INTEGRATION_HUB_BREAKER_FAIL_MAX = 2
    settings.INTEGRATION_HUB_BREAKER_RESET_SECONDS = 60


def customers(client):
    return list(client.query("BD_Customer", ["FNumber"], "", "FCUSTID ASC", page_size=5, max_rows=5))


def test_an_open_breaker_stops_calls_without_spending_retries_and_one_probe_resumes_them(
    make_client, sandbox, call_log, sleeps, clock
):
    client = make_client(state=DatabaseState(clock=clock), attempts=3)
    sandbox.set_faults("k3cloud", error_rate=1.0)
    for _ in range(2):  # each call fails after its retries: two failures open the breaker
        with pytest.raises(TransientError):
            customers(client)
    sent, waited = len(call_log(any_tenant=True)), len(sleeps)
    assert (sent, waited) == (6, 4)

    with pytest.raises(CircuitOpenError) as refused:
        customers(client)

    assert len(call_log(any_tenant=True)) == sent and len(sleeps) == waited
    assert 59 <= refused.value.retry_after <= 60
    assert client.config.connector_key in refused.value.message

    sandbox.clear_faults("k3cloud")
    clock.advance(61)
    assert len(customers(client)) == 5  # the probe went through and closed the breaker
    assert connector_breaker(client.config.connector_key, client.api.state).state_name() == "closed"


def test_a_failed_probe_opens_the_breaker_for_another_cool_down(make_client, sandbox, call_log, clock):
    client = make_client(state=DatabaseState(clock=clock), attempts=1)
    sandbox.set_faults("k3cloud", error_rate=1.0)
    for _ in range(2):
        with pytest.raises(TransientError):
            customers(client)

    clock.advance(61)
    with pytest.raises(TransientError) as probe:
        customers(client)
    assert not isinstance(probe.value, CircuitOpenError)  # the probe itself reached the ERP
    sent = len(call_log(any_tenant=True))
    with pytest.raises(CircuitOpenError):
        customers(client)
    assert len(call_log(any_tenant=True)) == sent  # one probe per cool-down, then closed again


def test_a_business_refusal_is_an_answer_and_keeps_the_breaker_closed(make_client, sandbox):
    client = make_client()
    for _ in range(3):
        with pytest.raises(Exception) as refused:
            customers_of_unknown_form(client)
        assert not isinstance(refused.value, TransientError)
    assert connector_breaker(client.config.connector_key, client.api.state).state_name() == "closed"


def customers_of_unknown_form(client):
    return list(client.query("BD_NoSuchForm", ["FNumber"], "", "", page_size=5, max_rows=5))
