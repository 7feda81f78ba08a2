"""The transform settings' choices read in the language of the page, not of the process's start."""

from django.utils import translation

from syncjobs.console.params import LookupForm


def test_a_default_choice_label_follows_the_readers_language():
    choices = LookupForm.base_fields["on_missing"].choices
    with translation.override("en"):
        assert str(choices[0][1]) == "default (fail the record)"
    with translation.override("zh-hans"):
        assert str(choices[0][1]) == "默认（使记录失败）"
