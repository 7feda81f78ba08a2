"""Properties of the transforms: any JSON value, any valid parameters → a value or a TransformError.

Hypothesis draws the values (nested objects and lists, huge and tiny numbers, NaN and
infinities as JSON parsers hand them over, text with control characters) and the parameters
(anything ``validate_params`` accepts). ``derandomize`` and no example database: every run
draws the same examples.
"""

import json
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from syncjobs.mapping import MappingContext, MappingFailed, apply_mapping
from syncjobs.mapping.context import Environment
from syncjobs.mapping.errors import TransformError
from syncjobs.mapping.targets import DECIMAL, INTEGER, TEXT, TargetField, check_payload
from syncjobs.mapping.transforms import ROUNDING, TRANSFORMS, ParameterError, validate_params

PROPERTIES = settings(
    max_examples=150,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)

# Values that broke transforms before, drawn often: Hypothesis shrinks towards them anyway.
hostile = st.sampled_from(
    [
        "1e309",
        "-1e-400",
        "1e999999",
        "NaN",
        "Infinity",
        "99999999999999999",
        "-99999999999999999",
        " 12,5 ",
        "\x00",
    ]
) | st.sampled_from([99999999999999999, -(10**30), 10**400, float("inf"), float("nan"), 1e308])
scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.integers(min_value=-(10**400), max_value=10**400)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text()
    | hostile
    | st.decimals(allow_nan=True, allow_infinity=True)
)
json_values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner, max_size=4),
)
keys = st.text(max_size=8)
slugs = st.from_regex(r"[a-z][a-z0-9_-]{0,8}", fullmatch=True)
formats = st.sampled_from(["%Y-%m-%d", "%Y-%m-%d %H:%M:%S", "%d/%m/%Y %z", "%Y%j", "%H:%M %p %%"])
zones = st.sampled_from(["Asia/Shanghai", "UTC", "Pacific/Kiritimati", "America/Adak", "Etc/GMT+12"])
templates = st.sampled_from(["{name}", "A-{lines[].qty}-{{x}}", "{a.b.c} {name}", "plain"])
decimal_texts = st.sampled_from(["0.01", "100", "-3", "1e5", "1e-9", "0", "7.25"])


def optional(**strategies):
    """Dicts with any subset of the named parameters."""
    return st.fixed_dictionaries({}, optional=strategies)


PARAMS = {
    "direct": st.just({}),
    "constant": st.fixed_dictionaries({"value": json_values}),
    "default": st.fixed_dictionaries({"value": json_values}),
    "value_map": st.fixed_dictionaries(
        {"map": st.sampled_from(["levels", "missing"])},
        optional={"default": json_values, "keep_unmapped": st.booleans()},
    ),
    "lookup": st.fixed_dictionaries(
        {"flow": st.sampled_from(["customers", "nowhere"])},
        optional={
            "by": st.sampled_from(["source_id", "source_number", "target_id", "target_number"]),
            "return": st.sampled_from(["source_id", "source_number", "target_id", "target_number"]),
            "on_missing": st.sampled_from(["error", "empty"]),
        },
    ),
    "datetime": optional(
        **{
            "from": st.sampled_from(["ms", "text"]),
            "to": st.sampled_from(["ms", "text"]),
            "input_format": formats,
            "output_format": formats,
            "timezone": zones,
        }
    ),
    "number": optional(
        decimals=st.integers(0, 10),
        rounding=st.sampled_from(sorted(ROUNDING)),
        multiply=decimal_texts | st.sampled_from(["1e390", "1e-390", "1e999"]),
        output=st.sampled_from(["text", "integer"]),
    ),
    "template": st.fixed_dictionaries({"template": templates}),
}


def valid(name, params):
    try:
        validate_params(name, params)
    except ParameterError:
        return False
    return True


@st.composite
def calls(draw, name):
    params = draw(PARAMS[name].filter(lambda params: valid(name, params)))
    record = draw(st.dictionaries(keys, json_values, max_size=4) | json_values)
    context = MappingContext(
        value_maps={"levels": draw(st.dictionaries(keys, json_values, max_size=3))},
        lookups={
            ("customers", by): draw(
                st.dictionaries(
                    keys,
                    st.fixed_dictionaries(
                        {
                            field: keys
                            for field in ("source_id", "source_number", "target_id", "target_number")
                        }
                    ),
                    max_size=2,
                )
            )
            for by in ("source_id", "source_number", "target_id", "target_number")
        },
        timezone=draw(zones),
    )
    index = draw(st.tuples() | st.tuples(st.integers(0, 3)))
    return params, draw(hostile | json_values), Environment(record, index, context)


def test_the_strategies_cover_every_transform():
    assert set(PARAMS) == set(TRANSFORMS)


@pytest.mark.parametrize("name", sorted(TRANSFORMS))
@PROPERTIES
@given(data=st.data())
def test_a_transform_gives_a_value_or_a_transform_error_and_nothing_else(name, data):
    params, value, env = data.draw(calls(name))
    try:
        result = TRANSFORMS[name](value, params, env)
    except TransformError as error:
        assert error.reason  # renders: its parameters, whatever they hold, make a message
        assert "\x00" not in error.reason
        return
    json.dumps(result, default=str)  # a value a payload can carry


@PROPERTIES
@given(
    st.dictionaries(keys, json_values, max_size=5),
    st.sampled_from(
        [
            {"fname": TargetField(TEXT)},
            {"fqty": TargetField(DECIMAL, 23, 10), "flines[].fqty": TargetField(DECIMAL, 23, 10)},
            {"fprice": TargetField(DECIMAL, scale=2), "fid": TargetField(INTEGER)},
        ]
    ),
)
def test_checking_a_payload_gives_a_payload_or_names_every_bad_field(payload, fields):
    try:
        checked = check_payload(
            {**payload, "FName": payload.get("x"), "FLines": [{"FQty": payload.get("q")}]}, fields
        )
    except MappingFailed as failed:
        assert failed.errors and all(isinstance(error.field, str) and str(error) for error in failed.errors)
        return
    assert isinstance(checked, dict)


ROWS = [
    {"target_path": "FNumber", "source_path": "no", "required": True},
    {"target_path": "FName", "source_path": "name"},
    {"target_path": "FDate", "source_path": "signed", "transform": "datetime", "params": {"to": "text"}},
    {
        "target_path": "FLines[].FQty",
        "source_path": "lines[].qty",
        "transform": "number",
        "params": {"decimals": 2},
    },
    {
        "target_path": "FLines[].FNote",
        "transform": "template",
        "params": {"template": "{name} {lines[].qty}"},
    },
    {"target_path": "FLevel", "source_path": "level", "transform": "value_map", "params": {"map": "levels"}},
]
record_fields = st.fixed_dictionaries(
    {},
    optional={
        "no": json_values,
        "name": json_values,
        "signed": json_values,
        "level": json_values,
        "lines": st.lists(st.dictionaries(st.sampled_from(["qty", "x"]), json_values, max_size=2), max_size=3)
        | json_values,
    },
)


@PROPERTIES
@given(record_fields)
def test_mapping_any_record_gives_a_payload_or_names_each_failing_field(record):
    context = MappingContext(value_maps={"levels": {"1": "A"}})
    try:
        payload = apply_mapping(ROWS, record, context)
    except MappingFailed as failed:
        targets = {row["target_path"] for row in ROWS}
        assert failed.errors and all(error.field in targets for error in failed.errors)
        return
    assert isinstance(payload, dict)


def test_decimal_objects_are_numbers_to_the_number_transform():
    env = Environment({}, (), MappingContext())
    assert TRANSFORMS["number"](Decimal("1.005"), {"decimals": 2}, env) == "1.01"
