from decimal import Decimal

import pytest

from syncjobs.mapping import MappingContext
from syncjobs.mapping.context import Environment
from syncjobs.mapping.errors import MissingReferenceError, TransformError
from syncjobs.mapping.params import parse_template
from syncjobs.mapping.transforms import TRANSFORMS, ParameterError, validate_params


def run(name, value, params=None, record=None, index=(), **context):
    env = Environment(record or {}, index, MappingContext(**context))
    return TRANSFORMS[name](value, validate_params(name, params or {}), env)


def test_registry_is_the_fixed_set():
    assert set(TRANSFORMS) == {
        "direct",
        "constant",
        "default",
        "value_map",
        "lookup",
        "datetime",
        "number",
        "template",
    }


def test_direct_constant_and_default():
    assert run("direct", {"a": 1}) == {"a": 1}
    assert run("constant", None, {"value": "PRE001"}) == "PRE001"
    assert run("default", "  ", {"value": "N/A"}) == "N/A"
    assert run("default", [], {"value": "N/A"}) == "N/A"
    assert run("default", "kept", {"value": "N/A"}) == "kept"
    assert run("default", 0, {"value": "N/A"}) == 0


def test_value_map_translates_text_keys_and_lists():
    maps = {"levels": {"1": "VIP", "2": "NORMAL", "true": "YES"}}
    assert run("value_map", 1, {"map": "levels"}, value_maps=maps) == "VIP"
    assert run("value_map", ["1", "2"], {"map": "levels"}, value_maps=maps) == ["VIP", "NORMAL"]
    assert run("value_map", True, {"map": "levels"}, value_maps=maps) == "YES"
    assert run("value_map", "", {"map": "levels"}, value_maps=maps) is None
    assert run("value_map", "9", {"map": "levels", "default": "OTHER"}, value_maps=maps) == "OTHER"
    assert run("value_map", "9", {"map": "levels", "keep_unmapped": True}, value_maps=maps) == "9"


def test_value_map_without_entry_names_value_and_map():
    with pytest.raises(TransformError) as caught:
        run("value_map", "9", {"map": "levels"}, value_maps={"levels": {}})
    assert caught.value.code == "unmapped_value"
    assert "“9”" in caught.value.reason and "levels" in caught.value.reason


def test_value_map_that_was_not_loaded_is_an_error():
    with pytest.raises(TransformError, match="does not exist"):
        run("value_map", "1", {"map": "gone"})


def test_lookup_returns_the_chosen_field_of_the_cross_reference():
    lookups = {("customers", "source_id"): {"a1": {"target_number": "C001", "target_id": "100"}}}
    assert run("lookup", "a1", {"flow": "customers"}, lookups=lookups) == "C001"
    assert run("lookup", "a1", {"flow": "customers", "return": "target_id"}, lookups=lookups) == "100"
    assert run("lookup", None, {"flow": "customers"}, lookups=lookups) is None


def test_lookup_missing_parent_says_which_flow_and_value():
    with pytest.raises(MissingReferenceError) as caught:
        run("lookup", "a9", {"flow": "customers"})
    assert caught.value.code == "missing_reference"
    assert caught.value.params == {"flow": "customers", "by": "source_id", "value": "a9"}
    assert run("lookup", "a9", {"flow": "customers", "on_missing": "empty"}) is None


def test_datetime_converts_ms_epoch_in_the_business_time_zone():
    # 2024-04-30T16:00:00Z is midnight on 1 May in Shanghai.
    assert run("datetime", 1714492800000) == "2024-05-01 00:00:00"
    assert run("datetime", "1714492800000", {"output_format": "%Y-%m-%d"}) == "2024-05-01"
    assert run("datetime", 1714492800000, {"timezone": "UTC"}) == "2024-04-30 16:00:00"


def test_datetime_reads_text_into_ms_and_reformats():
    assert run("datetime", "2024-05-01 00:00:00", {"from": "text", "to": "ms"}) == 1714492800000
    assert run("datetime", "2024-05-01T00:00:00+00:00", {"from": "text", "to": "ms"}) == 1714521600000
    assert (
        run(
            "datetime",
            "01/05/2024",
            {"from": "text", "input_format": "%d/%m/%Y", "output_format": "%Y-%m-%d"},
        )
        == "2024-05-01"
    )


@pytest.mark.parametrize(
    ("value", "params"), [("yesterday", {"from": "text", "to": "ms"}), ("12.5e3", {}), (True, {})]
)
def test_datetime_rejects_unreadable_values(value, params):
    with pytest.raises(TransformError):
        run("datetime", value, params)


def test_number_rounds_as_decimal_text_never_float():
    assert run("number", 2.675, {"decimals": 2}) == "2.68"  # str(2.675), not its binary value
    assert run("number", "1,234.5", {"decimals": 2}) == "1234.50"
    assert run("number", "2.5", {"decimals": 0, "rounding": "half_even"}) == "2"
    assert run("number", Decimal("12.345"), {"multiply": "0.01", "decimals": 4}) == "0.1235"
    assert run("number", "7.6", {"output": "integer"}) == 8
    assert run("number", "1E+3") == "1000"
    assert run("number", "") is None


@pytest.mark.parametrize("value", ["abc", "NaN", True, "1.2.3"])
def test_number_rejects_non_numbers(value):
    with pytest.raises(TransformError, match="not a number"):
        run("number", value)


def test_template_fills_placeholders_from_the_record_and_line():
    record = {"name": "ACME", "lines": [{"sku": "A"}, {"sku": "B"}], "owner__r": {"name": "Li"}}
    assert run("template", None, {"template": "{name} ({owner__r})"}, record) == "ACME (Li)"
    assert run("template", None, {"template": "{name}-{lines[].sku}"}, record, (1,)) == "ACME-B"
    assert run("template", None, {"template": "{{literal}} {missing}!"}, record) == "{literal} !"


def test_template_never_evaluates_attribute_or_index_access():
    with pytest.raises(ParameterError):
        validate_params("template", {"template": "{name.__class__.__mro__[1]}"})
    with pytest.raises(ValueError):
        parse_template("{0!r:>{1}}")


@pytest.mark.parametrize(
    ("name", "params", "fragment"),
    [
        ("constant", {}, "“value” is required"),
        ("direct", {"value": 1}, "not a parameter"),
        ("value_map", {"map": "bad slug!"}, "must be a slug"),
        ("value_map", {"map": "m", "default": "x", "keep_unmapped": True}, "not both"),
        ("lookup", {"flow": "f", "by": "name"}, "must be one of"),
        ("datetime", {"from": "ms", "to": "ms"}, "nothing to convert"),
        ("datetime", {"timezone": "Mars/Olympus"}, "time zone"),
        ("datetime", {"output_format": "YYYY"}, "date format"),
        ("number", {"decimals": 11}, "from 0 to 10"),
        ("number", {"decimals": True}, "whole number"),
        ("number", {"multiply": 0.5}, "number written as text"),
        ("number", {"output": "integer", "decimals": 2}, "cannot be used"),
        ("template", {"template": "{a} }"}, "unmatched"),
        ("nope", {}, "not a known transform"),
    ],
)
def test_validate_params_explains_each_problem(name, params, fragment):
    with pytest.raises(ParameterError) as caught:
        validate_params(name, params)
    assert any(fragment in str(message) for message in caught.value.messages), caught.value.messages


def test_validate_params_requires_an_object():
    with pytest.raises(ParameterError, match="JSON object"):
        validate_params("direct", ["value"])


@pytest.mark.parametrize(
    ("value", "params"),
    [
        (99999999999999999, {"output_format": "%Y-%m-%d"}),  # year 3170843: past datetime's range
        (-99999999999999999, {}),
        ("253402300800000", {}),  # 10000-01-01
        ("9999-12-31T23:00:00+00:00", {"from": "text"}),  # a year 10000 in Beijing
    ],
)
def test_datetime_outside_the_calendar_is_a_transform_error_naming_the_value(value, params):
    with pytest.raises(TransformError) as caught:
        run("datetime", value, params)
    assert str(value)[:10] in caught.value.reason and "9999" in caught.value.reason


def test_number_writes_out_huge_values_for_the_target_to_judge_and_refuses_absurd_ones():
    assert run("number", "1e309") == "1" + "0" * 309  # the target field's check refuses it
    assert run("number", "1e309", {"decimals": 2}).endswith("0.00")  # rounding does not overflow
    assert run("number", "5", {"multiply": "1e390", "output": "integer"}) == 5 * 10**390
    with pytest.raises(TransformError, match="too large"):
        run("number", "1e999999")
    with pytest.raises(TransformError, match="too large"):
        run("number", "5", {"multiply": "1e999"})


@pytest.mark.parametrize("value", [{"x": 1}, ["1"], object()])
def test_number_refuses_objects_lists_and_other_things(value):
    with pytest.raises(TransformError, match="not a number"):
        run("number", value)


def test_a_long_value_is_cut_and_control_characters_shown_in_the_reason():
    with pytest.raises(TransformError) as caught:
        run("number", "x\x00" + "9" * 500)
    reason = caught.value.reason
    assert "x\\x00999" in reason and "\x00" not in reason
    assert len(reason) < 200 and "…" in reason
