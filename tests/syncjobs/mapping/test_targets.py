"""A payload meets its target's field types before it is sent: text is text, numbers fit."""

from decimal import Decimal

import pytest

from syncjobs.mapping import MappingFailed
from syncjobs.mapping.targets import DECIMAL, INTEGER, TEXT, TargetField, check_payload

ORDER_FIELDS = {
    "fbillno": TargetField(TEXT),
    "fcustid.fnumber": TargetField(TEXT),
    "fsaleorderentry[].ftaxprice": TargetField(DECIMAL, 23, 10),
    "fsaleorderentry[].fqty": TargetField(DECIMAL, 23, 10),
    "fsoentryid": TargetField(INTEGER),
    "price": TargetField(DECIMAL, scale=2),
}


def failures(payload, fields=ORDER_FIELDS):
    with pytest.raises(MappingFailed) as caught:
        check_payload(payload, fields)
    return [(error.field, error.line, error.code, str(error)) for error in caught.value.errors]


def test_a_payload_that_fits_comes_back_with_numbers_in_text_fields_written_out():
    payload = {
        "FBillNo": 1001,
        "FCustId": {"FNumber": 7.0},
        "FSaleOrderEntry": [{"FTaxPrice": "12.50", "FQty": 3}, {"FTaxPrice": Decimal("0.1234567891")}],
        "FNote": "any\ttext\nwith lines",
        "FSOEntryId": "42",
    }

    checked = check_payload(payload, ORDER_FIELDS)

    assert checked["FBillNo"] == "1001" and checked["FCustId"] == {"FNumber": "7.0"}
    assert checked["FSaleOrderEntry"] == payload["FSaleOrderEntry"]
    assert checked["FNote"] == payload["FNote"] and checked["FSOEntryId"] == "42"


def test_a_310_digit_price_fails_naming_field_line_and_digits():
    ((field, line, code, message),) = failures(
        {"FSaleOrderEntry": [{"FTaxPrice": "1"}, {"FTaxPrice": "1" + "0" * 309}]}
    )

    assert (field, line, code) == ("FSaleOrderEntry[].FTaxPrice", "2", "number_too_large")
    assert "310 digits" in message and "at most 13" in message and "…" in message


def test_too_many_decimal_places_fail_but_trailing_zeros_do_not_count():
    assert check_payload({"price": "1.2300000"}, ORDER_FIELDS) == {"price": "1.2300000"}
    ((field, _line, code, message),) = failures({"price": "1.234"})
    assert (field, code) == ("price", "too_many_decimals") and "at most 2" in message


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ({"x": 1}, "not_text"),
        (["a"], "not_text"),
        (True, "not_text"),
        ("SO\x00001", "control_character"),
        ("SO\x1b[31m", "control_character"),
    ],
)
def test_a_text_field_refuses_objects_lists_booleans_and_control_characters(value, code):
    ((field, _line, found, message),) = failures({"FBillNo": value})

    assert (field, found) == ("FBillNo", code)
    assert "FBillNo" in message and "\x00" not in message and "\x1b" not in message


def test_a_boolean_for_a_text_field_points_to_a_value_map():
    ((_field, _line, _code, message),) = failures({"FBillNo": False})
    assert "value map" in message


def test_control_characters_are_refused_in_fields_the_target_does_not_describe():
    ((field, _line, code, _message),) = failures({"F_Custom": "a\x07b"})
    assert (field, code) == ("F_Custom", "control_character")
    assert check_payload({"F_Custom": {"x": 1}}, ORDER_FIELDS) == {"F_Custom": {"x": 1}}


@pytest.mark.parametrize("value", ["1.5", "abc", 2**31, True, {"n": 1}])
def test_an_integer_field_takes_whole_numbers_in_range_only(value):
    ((field, _line, _code, _message),) = failures({"FSOEntryId": value})
    assert field == "FSOEntryId"


def test_every_bad_value_of_a_payload_is_named():
    found = failures({"FBillNo": {"x": 1}, "FSaleOrderEntry": [{"FQty": "abc"}, {"FQty": "1e20"}]})

    assert [(field, line) for field, line, _code, _message in found] == [
        ("FBillNo", None),
        ("FSaleOrderEntry[].FQty", "1"),
        ("FSaleOrderEntry[].FQty", "2"),
    ]
