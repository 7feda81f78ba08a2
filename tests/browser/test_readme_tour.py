"""The README's "Five-minute tour", steps 1–5, clicked as written on the demo's own data.

The demo (``manage.py demo --no-serve``) seeds both sandboxes and syncs everything once; the
customer 苏州博远合作伙伴有限公司 fails because its account type 3 (合作伙伴) has no entry in
the value map. The tour opens it, reads why, fixes the value map, re-runs it and sees it succeed.
"""

import re
from io import StringIO

import pytest
from django.core.management import call_command

from syncjobs.models import RecordStatus, SyncFlow, SyncRecord
from tests.browser.conftest import FAST

pytestmark = pytest.mark.browser
PARTNER = "苏州博远合作伙伴有限公司"
DEMO_SIZE = 6


@pytest.fixture
def demo(transactional_db, sandbox, settings, tmp_path):
    settings.DATA_DIR = tmp_path  # the demo's login file goes here
    settings.INTEGRATION_HUB_RETRY_BASE_SECONDS = 0.01
    settings.INTEGRATION_HUB_RETRY_CAP_SECONDS = 0.05
    call_command(
        "demo", "--no-serve", "--sandbox-url", sandbox.base_url, "--size", str(DEMO_SIZE), stdout=StringIO()
    )
    assert SyncRecord.objects.get(source_snapshot__name=PARTNER).status == RecordStatus.FAILED
    # Tasks run inline in browser tests: one batch at a time and no retry waits, so the re-run
    # clicked in step 4 has finished when its page comes back (a worker would do it in parallel).
    for flow in SyncFlow.objects.all():
        flow.options = {**(flow.options or {}), **FAST}
        flow.save(update_fields=["options"])


def test_the_five_minute_tour(journey, admin_user, demo):
    journey.sign_in_as(admin_user)
    page = journey.open("/admin/")

    # 1. Open the failed record: Home › Flows › 客户 · Customers (CRM → ERP) › Records that need attention.
    page.click("#content-main a:text-is('Flows')")
    page.click("text=客户 · Customers (CRM → ERP)")
    page.click("text=Records that need attention")
    by_error = page.inner_text("table.rc-classes")
    assert "FCustTypeId.FNumber" in by_error
    journey.shot("1-records-that-need-attention")
    page.click(f"table.rc-records >> text={PARTNER}")
    page.wait_for_selector("ol.rc-timeline")
    timeline_url = page.url

    # 2. Read why it failed.
    assert "Failed" in page.inner_text(".rc-summary")
    reason = page.locator(".rc-attempt .rc-explanation").last.inner_text()
    assert (
        "Field FCustTypeId.FNumber: the value “3” has no entry in value map "
        "“account-type-customer-type”; add it to the value map" in reason
    )
    attempt = page.locator(".rc-attempt").last
    attempt.locator("summary:has-text('1. Source record')").click()
    assert '"account_type": "3"' in attempt.inner_text()
    attempt.locator("summary:has-text('2. Mapped payload')").click()
    assert "the record was not mapped" in attempt.inner_text()
    journey.shot("2-why-it-failed")

    # 3. Fix the value map: Home › Value maps › 客户类型 → 客户类别 (account type → customer type).
    page.click(".breadcrumbs a:text-is('Home')")
    page.click("#content-main a:text-is('Value maps')")
    page.click("text=客户类型 → 客户类别")
    empty = page.locator("tr.form-row:not(.has_original) input[name$='-source_value']").first
    row = empty.locator("xpath=ancestor::tr")
    empty.fill("3")
    row.locator("input[name$='-target_value']").fill("KHLB001_SYS")
    row.locator("input[name$='-note']").fill("合作伙伴")
    page.click("input[name='_save']")
    page.wait_for_selector("text=was changed successfully")
    journey.shot("3-value-map-fixed")

    # 4. Re-run the failed record: back on its timeline (browser Back), "Re-run with the current mapping".
    for _back in range(6):
        if page.url == timeline_url:
            break
        page.go_back()
    assert page.url == timeline_url
    page.reload()
    page.click("#rc-rerun", timeout=90000)
    page.wait_for_selector("text=Re-run queued as run")

    # 5. See it succeed: a new attempt reads Create / Succeeded with the ERP customer number.
    page.reload()
    latest = page.locator(".rc-attempt").last.inner_text()
    journey.shot("5-succeeded")
    assert re.search(r"Create / Succeeded", latest)
    record = SyncRecord.objects.filter(source_snapshot__name=PARTNER).latest("id")
    assert record.status == RecordStatus.SUCCEEDED and record.target_number
    assert record.target_number in page.inner_text(".rc-summary")
