"""Pages show labels, not codes: error codes, transforms and objects in words, in both languages."""

from django.utils import translation

from syncjobs.templatetags.record_console import error_label, object_label, transform_label


def test_codes_read_as_words_in_english():
    with translation.override("en"):
        assert error_label("unmapped_value") == "No value-map entry"
        assert error_label("invalid") == "Invalid value"
        assert object_label("AccountObj") == "Account"
        assert transform_label("direct") not in ("", "direct")


def test_codes_read_as_words_in_chinese():
    with translation.override("zh-hans"):
        assert error_label("unmapped_value") == "值映射中没有条目"
        assert object_label("AccountObj") != "AccountObj"
        assert transform_label("value_map") != "value_map"


def test_a_code_without_words_is_shown_as_it_is():
    assert error_label("SomeNewError") == "SomeNewError"
    assert object_label("CustomObj__c") == "CustomObj__c"
    assert transform_label("not_a_transform") == "not_a_transform"
