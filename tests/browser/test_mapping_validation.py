"""A bad mapping refused: a misspelt CRM field is an error on its row until it is confirmed as
"not in the metadata", and the version saved then records it."""

import pytest

from syncjobs.models import MappingVersion

pytestmark = pytest.mark.browser


def test_a_misspelt_field_is_refused_on_its_row_then_saved_once_confirmed(journey, admin_user, customers):
    journey.sign_in_as(admin_user)
    page = journey.open(f"/admin/console/flows/{customers.pk}/mapping/")
    page.wait_for_selector(
        "#rc-mapping-form[data-pickers-ready='yes'], #rc-mapping-form[data-pickers-ready='failed']"
    )
    assert page.get_attribute("#rc-mapping-form", "data-pickers-ready") == "yes", page.inner_text(
        "#rc-picker-status"
    )

    page.click("#rc-add-row")
    row = page.locator("#rc-rows tbody.rc-row").last
    row.locator("select.rc-picker[data-side='target']").select_option("FNumber")
    row.locator("input[name$='-source_path']").fill("acount_no")
    page.click("#rc-save")

    error = page.locator("#rc-rows tbody.rc-row").last.locator("ul.errorlist[id$='-source_path_error']")
    error.wait_for()
    assert "Row 3: the source field “acount_no” does not exist in AccountObj" in error.inner_text()
    assert page.locator("text=Some rows need a correction").is_visible()
    journey.shot("refused")
    assert not MappingVersion.objects.filter(flow=customers).exists()

    page.locator("#rc-rows tbody.rc-row").last.locator("input[name$='-unlisted_ok']").check()
    page.click("#rc-save")
    page.wait_for_selector("text=Saved the mapping as version 1.")
    journey.shot("saved-confirmed")

    version = MappingVersion.objects.get(flow=customers)
    assert version.unlisted_fields == [{"target_path": "FNumber", "fields": ["acount_no"]}]
    assert version.rows[-1]["source_path"] == "acount_no"
