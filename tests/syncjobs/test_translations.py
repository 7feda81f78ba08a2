"""The shipped catalogue: complete, compiled, and used for the console's two languages."""

import ast
import gettext
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from syncjobs.mapping import MappingFailed, apply_mapping
from syncjobs.models import Connector

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "zh_Hans" / "LC_MESSAGES"
# What ``makemessages`` skips besides tests: hidden folders (virtualenvs, .git), what it writes or
# collects itself, and run-time output.
NOT_SCANNED = (".*", "__pycache__", "tests", "locale", "staticfiles", "var", "test-artifacts")


@dataclass
class Entry:
    msgstr: str
    fuzzy: bool


def read_catalogue(path):
    """``{(msgctxt or None, msgid): Entry}`` of a .po or .pot file (first plural form for plurals)."""
    entries = {}
    for block in path.read_text(encoding="utf-8").strip().split("\n\n"):
        fields, flags, current = {}, set(), None
        for line in block.splitlines():
            if line.startswith("#,"):
                flags.update(flag.strip() for flag in line[2:].split(","))
            elif line.startswith("#"):
                continue
            elif line.startswith('"'):
                fields[current] += ast.literal_eval(line)
            else:
                current, _space, quoted = line.partition(" ")
                fields[current] = ast.literal_eval(quoted)
        if fields.get("msgid"):
            msgstr = fields.get("msgstr", fields.get("msgstr[0]", ""))
            entries[(fields.get("msgctxt"), fields["msgid"])] = Entry(msgstr, "fuzzy" in flags)
    return entries


def po_entries():
    return read_catalogue(CATALOGUE / "django.po")


def extracted_messages(tmp_path):
    """The messages ``makemessages`` finds in the code now, run on a copy of the project's source.

    The copy keeps the shipped catalogue out of reach: ``makemessages`` writes into the copy's
    own ``locale`` folder (its settings point there), and ``--keep-pot`` leaves the template.
    """
    base = Path(settings.BASE_DIR)
    copy = tmp_path / "project"
    shutil.copytree(base, copy, ignore=shutil.ignore_patterns(*NOT_SCANNED))
    (copy / "locale").mkdir()
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "integration_hub.settings"}
    env.pop("PYTHONPATH", None)
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "zh_Hans", "--keep-pot", "-v", "0"],
        cwd=copy,
        env=env,
        check=True,
        capture_output=True,
        timeout=120,
    )
    return read_catalogue(copy / "locale" / "django.pot")


def test_every_message_has_a_checked_chinese_translation():
    untranslated = [key for key, entry in po_entries().items() if not entry.msgstr]
    fuzzy = [key for key, entry in po_entries().items() if entry.fuzzy]
    assert untranslated == []
    assert fuzzy == []


def test_every_translatable_string_in_the_code_is_in_the_catalogue(tmp_path):
    in_code = extracted_messages(tmp_path)
    missing = sorted(set(in_code) - set(po_entries()), key=str)
    assert len(in_code) > 1000
    assert missing == [], "run makemessages -l zh_Hans and translate the new messages"


def test_compiled_catalogue_matches_the_po_file():
    with open(CATALOGUE / "django.mo", "rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    stale = [
        (context, msgid)
        for (context, msgid), entry in po_entries().items()
        if (compiled.pgettext(context, msgid) if context else compiled.gettext(msgid)) != entry.msgstr
    ]
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
