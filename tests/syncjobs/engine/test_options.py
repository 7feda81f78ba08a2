"""Flow options: defaults for keys a flow does not set, and refusals that name the bad option."""

from types import SimpleNamespace

import pytest

from syncjobs.engine.options import FlowOptions, OptionsError


def flow_with(options):
    # What ``FlowOptions.of`` reads of a ``SyncFlow``.
    return SimpleNamespace(options=options, batch_size=50)


def test_base_data_is_verified_for_flows_that_never_set_the_option():
    assert FlowOptions.of(flow_with({})).verify_base_data is True
    assert FlowOptions.of(flow_with({"max_attempts": 3})).verify_base_data is True


def test_verification_is_turned_off_per_flow():
    assert FlowOptions.of(flow_with({"verify_base_data": False})).verify_base_data is False


def test_a_verification_option_that_is_not_true_or_false_is_refused_by_name():
    with pytest.raises(OptionsError, match="verify_base_data"):
        FlowOptions.of(flow_with({"verify_base_data": "no"}))


def test_webhook_runs_gather_three_seconds_unless_the_flow_says_otherwise():
    assert FlowOptions.of(flow_with({})).gather_seconds == 3.0
    assert FlowOptions.of(flow_with({"gather_seconds": 0})).gather_seconds == 0


@pytest.mark.parametrize("value", [-1, 31, "3", True])
def test_a_gathering_window_out_of_range_is_refused_by_name(value):
    with pytest.raises(OptionsError, match="gather_seconds"):
        FlowOptions.of(flow_with({"gather_seconds": value}))
