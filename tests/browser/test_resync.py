"""A resync after a new field reaching every record: map it, save, accept the offer, check the ERP."""

import pytest

from syncjobs.adapters.clients import build_client
from syncjobs.models import CrossReference, RunStatus, SyncRecord, SyncRun, ValueMap
from syncjobs.services import sync

pytestmark = pytest.mark.browser


def test_a_resync_after_a_new_field_reaches_every_record(journey, admin_user, customers):
    types = ValueMap.objects.get(slug="account-types")
    types.entries.create(source_value="2", target_value="KHLB002_SYS")
    types.entries.create(source_value="3", target_value="KHLB003_SYS")
    first = sync.run_now(customers, sleep=lambda s: None)
    assert first.status == RunStatus.SUCCEEDED and first.created_count == 6
    journey.sign_in_as(admin_user)

    page = journey.open(f"/admin/console/flows/{customers.pk}/mapping/")
    page.wait_for_selector("#rc-mapping-form[data-pickers-ready='yes']")
    page.click("#rc-add-row")
    row = page.locator("#rc-rows tbody.rc-row").last
    row.locator("select.rc-picker[data-side='target']").select_option("FTEL")
    row.locator("select.rc-picker[data-side='source']").select_option("tel")
    journey.shot("new-field")
    page.click("#rc-save")
    page.wait_for_selector("#rc-resync-offer")
    journey.shot("offer")
    assert "Saved the mapping as version 2." in page.inner_text("body")
    assert "A dry run of them all: 6 records would change." in page.inner_text("#rc-resync-count")

    page.click("#rc-resync")  # queued; the test's queue runs the task before the page answers
    page.wait_for_selector("#run-progress")
    journey.shot("resync-run")
    assert "Resync of 6 records queued as run" in page.inner_text("body")

    resync = SyncRun.objects.latest("id")
    assert resync.status == RunStatus.SUCCEEDED and resync.updated_count == 6
    tel = {r.target_number: r.source_snapshot.get("tel") or "" for r in SyncRecord.objects.filter(run=resync)}
    numbers = sorted(CrossReference.objects.filter(flow=customers).values_list("target_number", flat=True))
    assert sorted(tel) == numbers and any(tel.values())
    erp = build_client(customers.target_connector)
    quoted = ",".join(f"'{number}'" for number in numbers)
    rows = erp.query("BD_Customer", ["FNumber", "FTEL"], f"FNumber in ({quoted})")
    assert {row["FNumber"]: row["FTEL"] or "" for row in rows} == tel
