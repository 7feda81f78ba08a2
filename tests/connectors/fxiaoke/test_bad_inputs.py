"""Bad inputs come back as permanent errors carrying the CRM's own words and traceId.

The sandbox's codes for these cases are its own inventions (the platform documents none),
so the client treats them as ordinary permanent errors; only the type and the CRM's message
matter here, checked with the code the sandbox uses.
"""

import pytest
from django.utils import translation

from connectors.errors import PermanentError

UNKNOWN_OBJECT, UNKNOWN_FIELD, ILLEGAL_VALUE, ILLEGAL_QUERY, NOT_FOUND = 32107, 32103, 32105, 32109, 32101


def refused(call):
    with pytest.raises(PermanentError) as raised:
        call()
    error = raised.value
    assert error.system == "fxiaoke" and error.trace_id
    return error


def test_an_unknown_object(client):
    error = refused(lambda: list(client.query("NoSuchObj")))
    assert error.code == UNKNOWN_OBJECT and "NoSuchObj" in error.message


def test_an_unknown_field(client):
    with translation.override("en"):
        error = refused(lambda: client.create("AccountObj", {"name": "x", "colour": "blue"}))
    assert (
        error.code == UNKNOWN_FIELD and "colour" in error.message and "creating AccountObj" in error.message
    )


def test_a_wrong_operator(client):
    error = refused(lambda: list(client.query("AccountObj", filters=[("name", "ABOUT", "华信")])))
    assert error.code == ILLEGAL_QUERY and "ABOUT" in error.message


def test_a_select_label_instead_of_its_option_value(client):
    error = refused(lambda: client.create("AccountObj", {"name": "x", "account_level": "重要客户"}))
    assert error.code == ILLEGAL_VALUE and "account_level" in error.message


def test_a_lookup_to_a_missing_record(client):
    error = refused(lambda: client.create("ContactObj", {"name": "李四", "account_id": "0" * 24}))
    assert error.code == ILLEGAL_VALUE and "account_id" in error.message


def test_a_number_sent_as_a_number_rather_than_a_string(client):
    error = refused(lambda: client.create("ProductObj", {"name": "x", "price": 12.5}))
    assert error.code == ILLEGAL_VALUE and "price" in error.message


def test_a_missing_record(client):
    error = refused(lambda: client.get("AccountObj", "f" * 24))
    assert error.code == NOT_FOUND and "f" * 24 in error.message
