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
