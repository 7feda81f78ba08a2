"""The shipped catalogue: complete, compiled, and used for the console's two languages."""

import gettext
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from syncjobs.mapping import MappingFailed, apply_mapping
from syncjobs.models import Connector

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "zh_Hans" / "LC_MESSAGES"


def po_entries():
    """``{msgid: msgstr}`` from the .po file (the first plural form for plural entries)."""
    text = (CATALOGUE / "django.po").read_text(encoding="utf-8")
    entries = {}
    for block in text.strip().split("\n\n")[1:]:
        msgid = _joined(re.search(r'^msgid ((?:".*"\n?)+)', block, re.M))
        msgstr = _joined(re.search(r'^msgstr(?:\[0\])? ((?:".*"\n?)+)', block, re.M))
        entries[msgid] = msgstr
    return entries


def _joined(match):
    raw = "".join(re.findall(r'^"(.*)"$', match.group(1), re.M))
    return raw.encode().decode("unicode_escape").encode("latin-1").decode("utf-8")


def test_every_message_has_a_chinese_translation():
    untranslated = [msgid for msgid, msgstr in po_entries().items() if not msgstr]
    assert untranslated == []


def test_compiled_catalogue_matches_the_po_file():
    with open(CATALOGUE / "django.mo", "rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    stale = [msgid for msgid, msgstr in po_entries().items() if compiled.gettext(msgid) != msgstr]
    assert stale == []


def test_models_and_mapping_errors_speak_both_languages():
    with pytest.raises(MappingFailed) as caught:
        apply_mapping([{"target_path": "FQty", "source_path": "q", "transform": "number"}], {"q": "x"})
    with translation.override("zh-hans"):
        assert str(Connector._meta.verbose_name) == "连接器"
        assert str(caught.value) == "字段 FQty：“x”不是数字"
    with translation.override("en"):
        assert str(Connector._meta.verbose_name) == "connector"
        assert str(caught.value) == "Field FQty: “x” is not a number"


@pytest.mark.django_db
def test_console_is_chinese_by_default_and_english_on_request(admin_client_csrf, settings):
    settings.LANGUAGE_CODE = "zh-hans"
    chinese = admin_client_csrf.get(reverse("admin:index")).content.decode()
    english = admin_client_csrf.get(
        reverse("admin:index"), headers={"accept-language": "en"}
    ).content.decode()
    assert "集成中心" in chinese and "连接器" in chinese
    assert "Integration Hub" in english and "Connectors" in english
