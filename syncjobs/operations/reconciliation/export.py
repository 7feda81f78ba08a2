"""A reconciliation report as a workbook for finance (summary and differences) and as mail text."""

from decimal import Decimal
from io import BytesIO

from django.utils.translation import gettext as _
from openpyxl import Workbook

from syncjobs.exports.cells import append_typed_row
from syncjobs.models import DocumentKind, Problem, ReportStatus

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PROBLEMS = (Problem.MISSING_IN_ERP, Problem.MISSING_IN_CRM, Problem.AMOUNT_DIFFERS, Problem.DATE_DIFFERS)


def filename(report):
    return f"reconciliation-{report.period_start:%Y%m%d}-{report.period_end:%Y%m%d}-{report.pk}.xlsx"


def subject(report):
    total = sum(problem_count(totals) for totals in (report.totals or {}).values())
    return _("Reconciliation %(start)s – %(end)s: %(count)d differences") % {
        "start": report.period_start,
        "end": report.period_end,
        "count": total,
    }


def summary_rows(report):
    """One row per kind: CRM count and amount, ERP count and amount, matched, each problem."""
    rows = []
    for kind in DocumentKind:
        totals = (report.totals or {}).get(kind.value)
        if totals is None:
            continue
        rows.append(
            [
                str(kind.label),
                totals["crm"]["count"],
                Decimal(totals["crm"]["amount"]),
                totals["erp"]["count"],
                Decimal(totals["erp"]["amount"]),
                totals["matched"],
                *[totals.get(problem, 0) for problem in PROBLEMS],
            ]
        )
    return rows


def summary_header():
    return [
        _("Document"),
        _("CRM count"),
        _("CRM amount"),
        _("ERP count"),
        _("ERP amount"),
        _("Matched"),
        *[str(problem.label) for problem in PROBLEMS],
    ]


def difference_header():
    return [
        _("Document"),
        _("Problem"),
        _("CRM number"),
        _("CRM ID"),
        _("CRM date"),
        _("CRM amount"),
        _("ERP number"),
        _("ERP ID"),
        _("ERP date"),
        _("ERP amount"),
    ]


def difference_row(difference):
    return [
        str(difference.get_kind_display()),
        str(difference.get_problem_display()),
        difference.crm_number,
        difference.crm_id,
        difference.crm_date,
        difference.crm_amount,
        difference.erp_number,
        difference.erp_id,
        difference.erp_date,
        difference.erp_amount,
    ]


def workbook_bytes(report):
    """The report as an .xlsx file: a summary sheet and a sheet of every difference."""
    book = Workbook()
    summary = book.active
    summary.title = _("Summary")[:31]
    append_typed_row(summary, [_("Period"), f"{report.period_start} – {report.period_end}"])
    append_typed_row(summary, [_("CRM"), str(report.crm_connector), _("ERP"), str(report.erp_connector)])
    summary.append([])
    append_typed_row(summary, summary_header())
    for row in summary_rows(report):
        append_typed_row(summary, row)
    sheet = book.create_sheet(_("Differences")[:31])
    append_typed_row(sheet, difference_header())
    for difference in report.differences.order_by("kind", "problem", "id").iterator():
        append_typed_row(sheet, difference_row(difference))
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def summary_text(report):
    """The mail body: the period, then one line per kind."""
    if report.status != ReportStatus.DONE:
        return _("The reconciliation of %(start)s – %(end)s did not finish: %(message)s") % {
            "start": report.period_start,
            "end": report.period_end,
            "message": report.message,
        }
    lines = [
        _("Reconciliation of %(crm)s and %(erp)s, %(start)s – %(end)s.")
        % {
            "crm": report.crm_connector,
            "erp": report.erp_connector,
            "start": report.period_start,
            "end": report.period_end,
        },
        "",
    ]
    for kind in DocumentKind:
        totals = (report.totals or {}).get(kind.value)
        if totals is not None:
            lines.append(_kind_line(kind.label, totals))
    lines += ["", _("The attached workbook lists every difference.")]
    return "\n".join(lines)


def _kind_line(label, totals):
    return _(
        "%(kind)s: CRM %(crm_count)s (%(crm_amount)s), ERP %(erp_count)s (%(erp_amount)s); "
        "%(missing_erp)s missing in the ERP, %(missing_crm)s missing in the CRM, "
        "%(amounts)s with different amounts, %(dates)s dated differently."
    ) % {
        "kind": label,
        "crm_count": totals["crm"]["count"],
        "crm_amount": totals["crm"]["amount"],
        "erp_count": totals["erp"]["count"],
        "erp_amount": totals["erp"]["amount"],
        "missing_erp": totals.get(Problem.MISSING_IN_ERP, 0),
        "missing_crm": totals.get(Problem.MISSING_IN_CRM, 0),
        "amounts": totals.get(Problem.AMOUNT_DIFFERS, 0),
        "dates": totals.get(Problem.DATE_DIFFERS, 0),
    }


def problem_count(totals):
    """How many differences a kind's totals hold."""
    return sum(totals.get(problem, 0) for problem in PROBLEMS)
