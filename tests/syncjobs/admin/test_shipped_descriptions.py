"""The shipped value maps' descriptions read in the reader's language; edited ones as written."""

import json
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from syncjobs.scenarios.descriptions import SHIPPED, description_text
from tests.syncjobs.factories import make_value_map

FLOWS = Path(settings.BASE_DIR) / "syncjobs" / "scenarios" / "flows.json"


def shipped_descriptions():
    flows = json.loads(FLOWS.read_text(encoding="utf-8"))
    return {vm["description"] for flow in flows for vm in flow.get("value_maps", []) if vm.get("description")}


def test_every_shipped_value_map_description_is_in_the_catalogue_list():
    assert shipped_descriptions() == set(SHIPPED)


def test_a_shipped_description_reads_in_chinese_and_an_edited_one_as_written():
    with translation.override("zh-hans"):
        for text in SHIPPED:
            assert description_text(text) != text
        assert description_text("our own words") == "our own words"
    with translation.override("en"):
        assert all(description_text(text) == text for text in SHIPPED)


@pytest.mark.django_db
def test_the_value_map_list_shows_the_description_in_chinese(admin_client_csrf, settings):
    text = next(t for t in SHIPPED if t.startswith("CRM country"))
    make_value_map("countries", {}, description=text)
    settings.LANGUAGE_CODE = "zh-hans"
    page = admin_client_csrf.get(reverse("admin:syncjobs_valuemap_changelist")).content.decode()
    assert "未列出的国家使 ERP 字段留空" in page
