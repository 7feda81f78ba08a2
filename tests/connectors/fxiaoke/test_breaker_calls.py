"""Every Fxiaoke call passes its connector's breaker; a used-up daily quota is noted for all processes."""

import pytest

from connectors import quota
from connectors.errors import CircuitOpenError, QuotaExhaustedError, TransientError
from connectors.guard import connector_breaker
from connectors.state import DatabaseState


@pytest.fixture(autouse=True)
def small_breaker(settings):
    settings.INTEGRATION_HUB_BREAKER_FAIL_MAX = 2
    settings.INTEGRATION_HUB_BREAKER_RESET_SECONDS = 60


def accounts(client):
    return list(client.query("AccountObj", [], field_projection=["_id"], page_size=5))


def test_calls_stop_while_the_breaker_is_open_and_resume_after_a_probe(
    make_client, sandbox, tenant, sleeps, clock
):
    client = make_client(state=DatabaseState(clock=clock))
    sandbox.set_faults("fxiaoke", error_rate=1.0)
    for _ in range(2):
        with pytest.raises(TransientError):
            accounts(client)
    before, waits = len(sandbox.calls("fxiaoke")), len(sleeps)

    with pytest.raises(CircuitOpenError):
        accounts(client)

    assert (len(sandbox.calls("fxiaoke")), len(sleeps)) == (before, waits)
    sandbox.clear_faults("fxiaoke")
    clock.advance(61)
    assert len(accounts(client)) == 8  # every account of the seeded tenant
    assert connector_breaker(client.config.connector_key, DatabaseState(clock=clock)).state_name() == "closed"


def test_a_used_up_daily_quota_is_noted_until_it_resets(make_client, sandbox):
    client = make_client()
    sandbox.set_faults("fxiaoke", daily_quota=1)

    with pytest.raises(QuotaExhaustedError) as used_up:
        accounts(client)
        accounts(client)

    until = quota.exhausted_until(client.config.connector_key)
    assert until == used_up.value.resets_at
    assert connector_breaker(client.config.connector_key).state_name() == "closed"  # an answer, not a failure
