"""An integration admin builds mapping rows with the pickers, edits a value map, previews and dry-runs."""

import pytest

from syncjobs.models import FieldMapping, MappingVersion, SyncRecord, ValueMap
from syncjobs.services import sync

pytestmark = pytest.mark.browser


def open_editor(journey, flow):
    page = journey.open(f"/admin/console/flows/{flow.pk}/mapping/")
    page.wait_for_selector("#rc-mapping-form[data-pickers-ready='yes']")
    return page


def last_row(page):
    return page.locator("#rc-rows tbody.rc-row").last


def test_build_a_mapping_row_with_the_pickers(journey, admin_user, customers):
    journey.log_in("alice")
    page = journey.open(f"/admin/syncjobs/syncflow/{customers.pk}/change/")
    page.click("text=Mapping editor")
    page.wait_for_selector("#rc-mapping-form[data-pickers-ready='yes']")
    journey.shot("editor")

    page.click("#rc-add-row")
    row = last_row(page)
    row.locator("select.rc-picker[data-side='target']").select_option("FTEL")
    row.locator("select.rc-picker[data-side='source']").select_option("tel")
    page.click("#rc-add-row")
    row = last_row(page)
    row.locator("select.rc-picker[data-side='target']").select_option("FGroup.FNumber")
    row.locator("select.rc-picker[data-side='source']").select_option("account_level")
    row.locator("select[name$='-transform']").select_option("value_map")
    settings = row.locator("fieldset[data-transform='value_map']")
    assert settings.is_visible() and not row.locator("fieldset[data-transform='number']").is_visible()
    settings.locator("select[name$='-value_map-map']").select_option("account-types")
    settings.locator("select[name$='-value_map-unmapped']").select_option("empty")
    assert page.locator("textarea").count() == 0  # nothing asks for JSON
    journey.shot("rows-picked")

    page.click("#rc-save")
    page.wait_for_selector("text=Saved the mapping as version 1.")
    journey.shot("saved")

    saved = {m.target_path: (m.source_path, m.transform, m.params) for m in FieldMapping.objects.all()}
    assert saved["FTEL"] == ("tel", "direct", {})
    assert saved["FGroup.FNumber"] == (
        "account_level",
        "value_map",
        {"map": "account-types", "default": None},
    )
    assert MappingVersion.objects.get().rows[-1]["target_path"] == "FGroup.FNumber"


def test_edit_a_value_map_next_to_the_fields_options(journey, admin_user, customers):
    journey.sign_in_as(admin_user)
    page = open_editor(journey, customers)
    row = page.locator("#rc-rows tbody.rc-row").nth(1)
    link = row.locator("a.rc-value-map-link")
    assert link.is_visible()
    link.click()
    page.wait_for_selector("#rc-value-map-form")
    journey.shot("entries-with-options")

    # The CRM's options without an entry are listed, labelled; the ERP's customer types are offered.
    assert page.locator("#rc-target-options option[value='KHLB002_SYS']").count() == 1
    for code, number in (("2", "KHLB002_SYS"), ("3", "KHLB003_SYS")):
        source = page.locator(f"input[name$='-source_value'][value='{code}']")
        source.locator("xpath=ancestor::tr").locator("input[name$='-target_value']").fill(number)
    page.click("#rc-save-entries")
    page.wait_for_selector("text=Saved the entries")
    journey.shot("entries-saved")

    assert ValueMap.objects.get(slug="account-types").as_dict() == {
        "1": "KHLB001_SYS",
        "2": "KHLB002_SYS",
        "3": "KHLB003_SYS",
    }


def test_preview_and_dry_run_before_saving(journey, admin_user, customers):
    ValueMap.objects.get(slug="account-types").entries.create(source_value="2", target_value="KHLB002_SYS")
    ValueMap.objects.get(slug="account-types").entries.create(source_value="3", target_value="KHLB003_SYS")
    sync.run_now(customers, sleep=lambda s: None)
    versions = MappingVersion.objects.count()
    record = SyncRecord.objects.filter(status="succeeded").order_by("id").first()
    journey.sign_in_as(admin_user)
    page = open_editor(journey, customers)

    row = page.locator("#rc-rows tbody.rc-row").first
    row.locator("select[name$='-transform']").select_option("template")
    row.locator("input[name$='-source_path']").fill("")
    row.locator("input[name$='-template-template']").fill("{name} · CRM")
    page.locator("#rc-source-pick").select_option(record.source_id)
    journey.shot("before-preview")
    page.click("#rc-preview")
    page.wait_for_selector("#rc-preview-result")
    journey.shot("preview")

    payload = page.inner_text("#rc-preview-payload")
    assert f"{record.source_snapshot['name']} · CRM" in payload
    assert "FName" in page.inner_text("#rc-preview-diff")
    assert "Update" in page.inner_text("#rc-preview-outcome")

    page.click("#rc-dry-run")
    page.wait_for_selector("#rc-dry-run-result")
    journey.shot("dry-run")
    assert "Update: 6" in page.inner_text("#rc-dry-run-counts")
    assert MappingVersion.objects.count() == versions
    assert FieldMapping.objects.get(target_path="FName").transform == "direct"
