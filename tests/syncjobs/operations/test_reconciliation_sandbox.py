"""Reconciliation against both sandboxes over HTTP: counts, totals and every difference."""

from datetime import date
from io import BytesIO

import pytest
from django.core import mail
from django.urls import reverse
from openpyxl import load_workbook

from syncjobs.models import Problem, ReconciliationReport, ReportStatus
from syncjobs.operations.reconciliation import reports
from tests.syncjobs.engine.scenarios import Hub
from tests.syncjobs.factories import make_cross_reference, make_flow
from tests.syncjobs.operations.sandbox_documents import MARCH, Planter

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fast_client_retries(settings):
    settings.INTEGRATION_HUB_RETRY_BASE_SECONDS = 0.01
    settings.INTEGRATION_HUB_RETRY_CAP_SECONDS = 0.05


@pytest.fixture
def hub(sandbox):
    sandbox.set_faults("fxiaoke", rate_limit=100000, token_limit_per_minute=1000)
    return Hub(sandbox, size=4)


@pytest.fixture
def planted(hub):
    """March 2027 in both systems: agreeing, differing, one-sided and cross-referenced orders."""
    planter = Planter(hub.crm, hub.erp)
    day = date(2027, 3, 10)
    ids = {
        "crm-same": planter.crm_order("REC-SAME", day, "1000.00"),
        "erp-same": planter.erp_order("REC-SAME", day, "1000.00"),
        "crm-diff": planter.crm_order("REC-DIFF", day, "500.00"),
        "erp-diff": planter.erp_order("REC-DIFF", day, "450.00"),
        "crm-only": planter.crm_order("REC-CRM-ONLY", day, "70.00"),
        "erp-only": planter.erp_order("REC-ERP-ONLY", day, "30.00"),
        "crm-linked": planter.crm_order("SO-LINKED", day, "20.00"),
        "erp-linked": planter.erp_order("XSDD-LINKED", day, "20.00"),
        "crm-april": planter.crm_order("REC-APRIL", day, "15.00"),
        "erp-april": planter.erp_order("REC-APRIL-ERP", date(2027, 4, 2), "15.00"),
    }
    planter.close()
    flow = make_flow(
        "orders", source=hub.crm, target=hub.erp, source_object="SalesOrderObj", target_object="SAL_SaleOrder"
    )
    make_cross_reference(flow, ids["crm-linked"], "XSDD-LINKED", target_id=ids["erp-linked"])
    make_cross_reference(flow, ids["crm-april"], "REC-APRIL-ERP", target_id=ids["erp-april"])
    return ids


def run(hub, period=MARCH):
    report = ReconciliationReport.objects.create(
        crm_connector=hub.crm, erp_connector=hub.erp, period_start=period[0], period_end=period[1]
    )
    return reports.run_report(report.pk)


def test_it_counts_totals_and_names_every_difference(hub, planted):
    report = run(hub)

    assert report.status == ReportStatus.DONE, report.message
    orders = report.totals["order"]
    assert orders["crm"] == {"count": 5, "amount": "1605.00"}
    assert orders["erp"] == {"count": 4, "amount": "1500.00"}
    assert orders["matched"] == 3  # same number (2) and cross-referenced (1)
    found = {
        (d.problem, d.crm_number, d.erp_number, d.crm_amount, d.erp_amount)
        for d in report.differences.filter(kind="order")
    }
    assert found == {
        (Problem.AMOUNT_DIFFERS, "REC-DIFF", "REC-DIFF", 500, 450),
        (Problem.MISSING_IN_ERP, "REC-CRM-ONLY", "", 70, None),
        (Problem.MISSING_IN_CRM, "", "REC-ERP-ONLY", None, 30),
        (Problem.DATE_DIFFERS, "REC-APRIL", "REC-APRIL-ERP", 15, 15),
    }
    assert report.totals["receipt"]["crm"]["count"] == 0 and report.totals["shipment"]["erp"]["count"] == 0


def test_a_period_without_documents_agrees(hub, planted):
    report = run(hub, (date(2027, 5, 1), date(2027, 5, 31)))

    assert report.status == ReportStatus.DONE
    assert report.totals["order"]["crm"]["count"] == 0 and not report.differences.exists()


def test_an_unreachable_system_fails_the_report_in_words(hub, planted, sandbox):
    sandbox.set_faults("k3cloud", error_rate=1.0)

    report = run(hub)

    assert report.status == ReportStatus.FAILED
    assert "could not read" in report.message and "k3cloud" in report.message


def test_the_report_page_and_the_workbook_show_the_differences(
    hub, planted, admin_client_csrf, finance_client
):
    report = run(hub)
    url = reverse("admin:syncjobs_reconciliationreport_change", args=[report.pk])

    page = finance_client.get(url, {"problem": Problem.MISSING_IN_CRM}).content.decode()
    assert "REC-ERP-ONLY" in page and "REC-CRM-ONLY" not in page

    export = finance_client.get(reverse("admin:syncjobs_reconciliationreport_export", args=[report.pk]))
    assert export.status_code == 200
    book = load_workbook(filename=BytesIO(export.content))
    rows = list(book.worksheets[1].iter_rows(values_only=True))
    assert len(rows) == 1 + 4  # header and four differences
    assert ("Orders", "Missing in the CRM", None, None, None, None, "REC-ERP-ONLY") in [
        row[:7] for row in rows
    ]
    summary = list(book.worksheets[0].iter_rows(values_only=True))
    assert ("Orders", 5, 1605.0, 4, 1500.0, 3, 1, 1, 1, 1) in summary


def test_the_scheduled_reconciliation_mails_the_workbook(hub, planted, integration_admin, finance_reviewer):
    make_flow(
        "orders-2",
        source=hub.crm,
        target=hub.erp,
        source_object="SalesOrderObj",
        target_object="SAL_SaleOrder",
    )

    done = reports.run_scheduled(today=date(2027, 4, 1), days=31)

    assert [r.status for r in done] == [ReportStatus.DONE]
    assert done[0].scheduled and (done[0].period_start, done[0].period_end) == MARCH
    (message,) = mail.outbox
    assert sorted(message.to) == ["alice@example.com", "fiona@example.com"]
    assert "4 differences" in message.subject
    assert "missing in the ERP" in message.body
    (name, content, mimetype) = message.attachments[0]
    assert name.endswith(".xlsx") and mimetype.startswith("application/vnd.openxml") and content[:2] == b"PK"
