"""The reconciliation pages: who may request, read and export reports; CSRF; the workbook."""

from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from django.urls import reverse
from django_q.models import OrmQ
from openpyxl import load_workbook

from syncjobs import tasks
from syncjobs.models import ReconciliationDifference, ReconciliationReport, ReportStatus
from tests.syncjobs.factories import make_fxiaoke, make_k3cloud

pytestmark = pytest.mark.django_db

ADD = reverse("admin:syncjobs_reconciliationreport_add")


@pytest.fixture
def pair():
    return make_fxiaoke("crm"), make_k3cloud("erp")


@pytest.fixture
def report(pair):
    report = ReconciliationReport.objects.create(
        crm_connector=pair[0],
        erp_connector=pair[1],
        period_start=date(2027, 3, 1),
        period_end=date(2027, 3, 31),
        status=ReportStatus.DONE,
        totals={
            "order": {
                "crm": {"count": 2, "amount": "30.00"},
                "erp": {"count": 1, "amount": "10.00"},
                "matched": 1,
                "missing_in_erp": 1,
            }
        },
    )
    ReconciliationDifference.objects.create(
        report=report,
        kind="order",
        problem="missing_in_erp",
        crm_id="c2",
        crm_number='=HYPERLINK("http://evil.example")',
        crm_amount=Decimal("20"),
    )
    return report


def form(pair, **changes):
    return {
        "period_start": "2027-03-01",
        "period_end": "2027-03-31",
        "crm_connector": pair[0].pk,
        "erp_connector": pair[1].pk,
        **changes,
    }


def test_an_integration_admin_requests_a_report_and_a_worker_is_asked_to_run_it(
    admin_client_csrf, pair, django_capture_on_commit_callbacks
):
    assert admin_client_csrf.get(ADD).status_code == 200

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client_csrf.post_form(ADD, form(pair))

    report = ReconciliationReport.objects.get()
    assert response["Location"] == reverse("admin:syncjobs_reconciliationreport_change", args=[report.pk])
    assert (report.status, report.period_start) == (ReportStatus.QUEUED, date(2027, 3, 1))
    task = OrmQ.objects.get().task
    assert (task["func"], task["args"]) == ("syncjobs.tasks.run_reconciliation", (report.pk,))


def test_a_request_without_the_csrf_token_is_refused(admin_client_csrf, pair):
    admin_client_csrf.csrf_token()
    assert admin_client_csrf.post(ADD, form(pair)).status_code == 403
    assert not ReconciliationReport.objects.exists()


def test_a_period_that_ends_before_it_starts_is_refused_in_words(admin_client_csrf, pair):
    page = admin_client_csrf.post_form(ADD, form(pair, period_end="2027-02-01")).content.decode()

    assert "The period ends before it starts" in page
    assert not ReconciliationReport.objects.exists()


def test_finance_reviewers_read_and_export_but_never_request(finance_client, report, pair):
    assert finance_client.get(ADD).status_code == 403
    assert finance_client.post_form(ADD, form(pair)).status_code == 403
    assert ReconciliationReport.objects.count() == 1

    page = finance_client.get(reverse("admin:syncjobs_reconciliationreport_change", args=[report.pk]))
    assert page.status_code == 200 and "HYPERLINK" in page.content.decode()
    assert finance_client.get(reverse("admin:syncjobs_reconciliationreport_changelist")).status_code == 200
    export = finance_client.get(reverse("admin:syncjobs_reconciliationreport_export", args=[report.pk]))
    assert export.status_code == 200
    delete = reverse("admin:syncjobs_reconciliationreport_delete", args=[report.pk])
    assert finance_client.post_form(delete, {"post": "yes"}).status_code == 403


def test_staff_without_a_role_see_no_report(staff_client, report):
    for name, args in (("change", [report.pk]), ("export", [report.pk]), ("changelist", [])):
        assert (
            staff_client.get(reverse(f"admin:syncjobs_reconciliationreport_{name}", args=args)).status_code
            == 403
        )


def test_the_workbook_keeps_formulas_as_text(admin_client_csrf, report):
    export = admin_client_csrf.get(reverse("admin:syncjobs_reconciliationreport_export", args=[report.pk]))

    assert 'filename="reconciliation-20270301-20270331-' in export["Content-Disposition"]
    sheet = load_workbook(BytesIO(export.content)).worksheets[1]
    cell = sheet.cell(row=2, column=3)
    assert cell.value == '=HYPERLINK("http://evil.example")' and cell.data_type == "s"


def test_a_queued_report_page_refreshes_itself(admin_client_csrf, report):
    ReconciliationReport.objects.filter(pk=report.pk).update(status=ReportStatus.QUEUED)

    page = admin_client_csrf.get(reverse("admin:syncjobs_reconciliationreport_change", args=[report.pk]))

    assert '<meta http-equiv="refresh"' in page.content.decode()


def test_a_report_runs_once_even_if_its_task_is_delivered_twice(report):
    assert tasks.run_reconciliation(report.pk) == ReportStatus.DONE  # already done: left as it is
    assert report.differences.count() == 1


def test_webhook_events_and_alerts_are_read_only_and_for_integration_admins(
    admin_client_csrf, finance_client
):
    for model in ("webhookevent", "alertnotice"):
        assert admin_client_csrf.get(reverse(f"admin:syncjobs_{model}_changelist")).status_code == 200
        assert admin_client_csrf.get(reverse(f"admin:syncjobs_{model}_add")).status_code == 403
        assert finance_client.get(reverse(f"admin:syncjobs_{model}_changelist")).status_code == 403
