"""Failed records in the browser: a timeline, a mapping fix and a re-run to success, an edited replay."""

import pytest

from syncjobs.models import RecordIntervention, SyncRecord

pytestmark = pytest.mark.browser


def test_open_a_failed_timeline_fix_the_mapping_and_rerun_to_success(
    journey, admin_user, customers, failures
):
    record = failures.first()
    code = record.source_snapshot["account_type"]
    journey.sign_in_as(admin_user)
    page = journey.open(f"/admin/syncjobs/syncflow/{customers.pk}/change/")
    page.click("text=Records that need attention")
    page.wait_for_selector("table.rc-classes")
    assert "No value-map entry" in page.inner_text("table.rc-classes")  # the code in words
    journey.shot("failures")

    page.click(f"text={record.source_number or record.source_id}")
    page.wait_for_selector("ol.rc-timeline")
    explanation = page.inner_text(".rc-attempt .rc-explanation")
    assert explanation.startswith("Failed because:") and "has no entry in value map" in explanation
    journey.shot("timeline-failed")
    timeline_url = page.url

    # The fix: the missing entry, added where the mapping row links to its value map.
    page = journey.open(f"/admin/console/flows/{customers.pk}/mapping/")
    page.wait_for_selector("#rc-mapping-form[data-pickers-ready='yes']")
    page.locator("#rc-rows tbody.rc-row").nth(1).locator("a.rc-value-map-link").click()
    page.wait_for_selector("#rc-value-map-form")
    source = page.locator(f"input[name$='-source_value'][value='{code}']")
    source.locator("xpath=ancestor::tr").locator("input[name$='-target_value']").fill("KHLB002_SYS")
    page.click("#rc-save-entries")
    page.wait_for_selector("text=Saved the entries")
    journey.shot("value-map-fixed")

    page.goto(timeline_url)
    page.click("#rc-rerun")
    page.wait_for_selector("text=Re-run queued as run")
    explanations = page.locator(".rc-attempt .rc-explanation").all_inner_texts()
    journey.shot("timeline-succeeded")

    assert explanations[0].startswith("Superseded by a later attempt")
    assert explanations[-1].startswith("Created ") and explanations[-1].endswith("in the target.")
    latest = SyncRecord.objects.filter(source_id=record.source_id).latest("id")
    assert latest.status == "succeeded" and latest.target_number
    assert latest.mapped_payload["FCustTypeId"] == {"FNumber": "KHLB002_SYS"}


def test_edit_a_payload_and_replay_it(journey, admin_user, customers, failures):
    record = failures.first()
    journey.sign_in_as(admin_user)
    page = journey.open(f"/admin/console/records/{record.pk}/")
    page.click("#rc-replay")
    page.wait_for_selector("#rc-replay-form")
    assert page.locator("textarea").count() == 1  # the reason; the payload is edited field by field
    page.locator("input[name='new_path_0']").fill("FCustTypeId.FNumber")
    page.locator("input[name='new_value_0']").fill("KHLB003_SYS")
    page.locator("textarea[name='reason']").fill("type agreed with sales by phone")
    journey.shot("payload-edited")
    page.click("#rc-replay-submit")
    page.wait_for_selector("text=Replay queued as run")
    journey.shot("replayed")

    assert "edited by hand" in page.inner_text("ol.rc-timeline")
    assert "type agreed with sales by phone" in page.inner_text(".rc-intervention")
    latest = SyncRecord.objects.filter(source_id=record.source_id).latest("id")
    assert (latest.status, latest.mapped_payload["FCustTypeId"]) == ("succeeded", {"FNumber": "KHLB003_SYS"})
    kept = RecordIntervention.objects.get()
    assert (kept.user, kept.original_payload) == (admin_user, {"FName": record.source_snapshot["name"]})
