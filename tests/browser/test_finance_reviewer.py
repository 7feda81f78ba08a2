"""A finance reviewer sees records, their timelines and failures, exports them, and can change nothing."""

import pytest

from syncjobs.models import RecordIntervention, SyncRun

pytestmark = pytest.mark.browser


def test_a_finance_reviewer_sees_and_exports_but_changes_nothing(journey, finance_user, customers, failures):
    failed = failures.first()
    runs = SyncRun.objects.count()
    journey.log_in("fiona")
    page = journey.open("/admin/syncjobs/syncrecord/?status__exact=failed")
    journey.shot("records")
    page.click(f"a[href*='/syncrecord/{failed.pk}/change/']")
    page.click("text=Timeline")
    page.wait_for_selector("ol.rc-timeline")
    journey.shot("timeline")
    assert "Failed because:" in page.inner_text(".rc-explanation")
    assert page.locator("#rc-rerun, #rc-replay, #rc-mark").count() == 0

    page = journey.open(f"/admin/console/flows/{customers.pk}/failures/")
    assert page.locator("form[action*='/admin/console/']").count() == 0
    journey.shot("failures")

    page = journey.open("/admin/syncjobs/syncrecord/export/")
    page.locator("select[name='format']").select_option(label="csv")
    with page.expect_download() as download:
        page.click("input[type=submit][value='Submit']")
    exported = open(download.value.path(), encoding="utf-8-sig").read()
    assert failed.source_id in exported

    page = journey.open(f"/admin/console/flows/{customers.pk}/mapping/")
    # The admin's own 403 page, in its layout with a way back, not a bare "403 Forbidden".
    assert (
        page.title().startswith("You cannot open this page") and page.locator("#forbidden-home").count() == 1
    )
    refused = page.evaluate(
        """async (url) => {
            const token = document.cookie.split('; ').find(c => c.startsWith('csrftoken=')).split('=')[1];
            const body = new URLSearchParams({csrfmiddlewaretoken: token});
            return (await fetch(url, {method: 'POST', body, credentials: 'same-origin'})).status;
        }""",
        f"/admin/console/records/{failed.pk}/rerun/",
    )
    journey.shot("refused")

    assert refused == 403
    assert SyncRun.objects.count() == runs and not RecordIntervention.objects.exists()
