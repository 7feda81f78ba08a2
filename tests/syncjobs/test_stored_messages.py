"""Stored messages: kept as id and parameters, read in the reader's language, counts and moments too."""

from datetime import UTC, datetime

from django.utils import translation
from django.utils.translation import gettext_noop, ngettext_lazy

from syncjobs.stored_messages import Message, PluralMessage, render, stored, stored_text

FAILED = ngettext_lazy("%(count)d record failed.", "%(count)d records failed.", "count")


def test_a_plural_message_picks_the_reader_s_form_for_its_count():
    one, three = stored(PluralMessage(FAILED, 1))[1], stored(PluralMessage(FAILED, 3))[1]
    with translation.override("en"):
        assert (render(one), render(three)) == ("1 record failed.", "3 records failed.")
    with translation.override("zh-hans"):
        assert render(three) == "3 条记录失败。"


def test_a_moment_is_kept_as_iso_text_and_read_in_the_reader_s_date_format(settings):
    settings.TIME_ZONE = "Asia/Shanghai"
    held = Message(
        gettext_noop("Paused by %(user)s on %(time)s; the flow continues when it is resumed."),
        user=Message(gettext_noop("the system")),
        time=datetime(2026, 3, 2, 17, 30, tzinfo=UTC),
    )
    text, data = stored(held)
    assert data["params"]["time"] == {"datetime": "2026-03-02T17:30:00+00:00"}
    with translation.override("zh-hans"):
        assert render(data) == "已由 系统 于 2026年3月3日 01:30 暂停；流程恢复后继续。"
    with translation.override("en"):
        assert render(data).startswith("Paused by the system on March 3, 2026, 1:30")


def test_plain_text_keeps_no_data_and_reads_as_written():
    assert stored("as it was") == ("as it was", {})
    assert stored_text({}, "旧的消息") == "旧的消息"
