"""Operations journeys: a run's progress filling up live, a failing flow on the dashboard, a
reconciliation that finds documents planted straight into the sandboxes."""

import random
from datetime import date

import pytest

from syncjobs.models import RunStatus, SyncRun, ValueMap, ValueMapEntry
from syncjobs.services import sync
from tests.syncjobs.console.sandbox_connectors import crm_connector, erp_connector
from tests.syncjobs.operations.sandbox_documents import Planter

pytestmark = pytest.mark.browser

# Records the run page's progress bar as the page repaints it.
WATCH_PERCENT = """() => {
    window.seenPercents = [];
    const bar = document.querySelector('[data-progress-run]');
    new MutationObserver(() => window.seenPercents.push(bar.dataset.percent))
        .observe(bar, {attributes: true, attributeFilter: ['data-percent']});
}"""


def shows_percent(page, percent):
    page.wait_for_function(
        "p => document.querySelector('[data-progress-run]').dataset.percent === p", arg=str(percent)
    )


def test_run_now_and_watch_the_progress_reach_100_percent(journey, admin_user, customers, monkeypatch):
    value_map = ValueMap.objects.get(slug=customers.mappings.get(transform="value_map").params["map"])
    for code in ("2", "3"):  # every account type is known: all six accounts sync
        ValueMapEntry.objects.create(value_map=value_map, source_value=code, target_value="KHLB001_SYS")
    customers.batch_size = 1  # one batch per account: the bar moves six times
    customers.save()
    monkeypatch.setattr("django_q.conf.Conf.SYNC", False)  # a worker (this test) runs it, not the page
    journey.log_in("alice")
    page = journey.open("/admin/syncjobs/syncflow/")
    page.check(f"input[name='_selected_action'][value='{customers.pk}']")
    page.select_option("select[name='action']", "run_flows_now")
    page.click("button[name='index']")
    page.wait_for_selector("[data-progress-run][data-status='queued']")
    assert "Waiting for a worker" in page.inner_text("#run-progress")
    journey.shot("queued")
    page.evaluate(WATCH_PERCENT)
    run = SyncRun.objects.get(flow=customers)

    def when_a_batch_is_stored(_run):
        # The worker waits until the page, polling on its own, shows what has been stored.
        current = SyncRun.objects.get(pk=run.pk)
        if current.progress_total and current.progress_done in (2, 4):
            shows_percent(page, current.progress_done * 100 // current.progress_total)
            journey.shot(f"{current.progress_done}-of-{current.progress_total}")

    finished = sync.execute_run(
        run.pk, progress=when_a_batch_is_stored, sleep=lambda s: None, rng=random.Random(1)
    )

    assert finished.status == RunStatus.SUCCEEDED, finished.message
    shows_percent(page, 100)
    page.wait_for_selector("[data-progress-run][data-status='succeeded']")
    journey.shot("done")
    assert "6 of 6 records" in page.inner_text("#run-progress")
    # The page says the run ended: its status field follows, and its flow is no longer offered a pause.
    page.wait_for_function("document.querySelector('.field-status .readonly').textContent === 'Succeeded'")
    assert page.locator("#run-progress [data-while-running]").count() == 0
    seen = page.evaluate("window.seenPercents")
    assert {"33", "66"} <= set(seen) and seen[-1] == "100"


def test_the_dashboard_shows_a_failing_flow(journey, admin_user, customers, failures):
    journey.log_in("alice")
    page = journey.page

    row = page.locator("tr.flow-health-row[data-flow='customers']")
    assert row.get_attribute("data-level") == "bad"
    assert "failing" in row.inner_text()
    assert str(failures.count()) in row.inner_text()
    assert page.locator("#records-chart svg.hub-chart").count() == 1
    journey.shot("dashboard")


def test_the_reconciliation_report_finds_a_planted_difference(journey, admin_user, sandbox, tenants):
    crm = crm_connector(sandbox, tenants["fxiaoke"], name="CRM (sandbox)")
    erp = erp_connector(sandbox, tenants["k3cloud"], name="ERP (sandbox)")
    planter = Planter(crm, erp)
    day = date(2027, 3, 10)
    planter.crm_order("REC-AGREE", day, "800.00")
    planter.erp_order("REC-AGREE", day, "800.00")
    planter.erp_order("REC-PLANTED", day, "123.00")  # made in the ERP by hand, never in the CRM
    planter.close()

    journey.log_in("alice")
    page = journey.open("/admin/syncjobs/reconciliationreport/add/")
    page.fill("#id_period_start", "2027-03-01")
    page.fill("#id_period_end", "2027-03-31")
    journey.shot("request")
    page.click("input[type=submit]")
    page.wait_for_selector(".hub-report[data-status='done']")
    summary = page.inner_text("#reconciliation-summary")
    assert "Orders" in summary
    journey.shot("report")

    page.click("text=Missing in the CRM")
    rows = page.locator("#reconciliation-differences tr.difference")
    assert rows.count() == 1 and "REC-PLANTED" in rows.first.inner_text()
    assert "123.00" in rows.first.inner_text()
    assert page.locator("#export-xlsx").count() == 1
    journey.shot("planted-difference")
