"""Running reconciliation reports: requested from the console, queued, or on a schedule."""

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from connectors.errors import ConnectorError
from syncjobs.adapters.base import chunks
from syncjobs.engine.dispatch import enqueue
from syncjobs.models import (
    CrossReference,
    ReconciliationDifference,
    ReconciliationReport,
    ReportStatus,
    SyncFlow,
    System,
)
from syncjobs.operations import mail
from syncjobs.operations.reconciliation import documents, export, matching, reading

logger = logging.getLogger(__name__)
RUN_TASK = "syncjobs.tasks.run_reconciliation"
_CHUNK = 500


def request_report(crm, erp, start, end, user=None):
    """A queued report; a worker runs it once the surrounding transaction commits."""
    report = ReconciliationReport.objects.create(
        crm_connector=crm, erp_connector=erp, period_start=start, period_end=end, requested_by=user
    )
    enqueue(RUN_TASK, report.pk)
    return report


def run_report(report_id):
    """Compare both systems for the report's period and store the outcome; return the report.

    Claimed by compare-and-set, so a task delivered twice runs it once. A connector error
    fails the report with the system's own words.
    """
    if not ReconciliationReport.objects.filter(pk=report_id, status=ReportStatus.QUEUED).update(
        status=ReportStatus.RUNNING
    ):
        return ReconciliationReport.objects.get(pk=report_id)
    report = ReconciliationReport.objects.select_related("crm_connector", "erp_connector").get(pk=report_id)
    try:
        comparisons = [
            compare_kind(report, plan) for plan in documents.plans(report.crm_connector, report.erp_connector)
        ]
    except ConnectorError as error:
        return _finish(report, ReportStatus.FAILED, message=_read_failed(error))
    with transaction.atomic():
        ReconciliationDifference.objects.bulk_create(_rows(report, comparisons), batch_size=_CHUNK)
        return _finish(report, ReportStatus.DONE, totals={c.kind: c.totals() for c in comparisons})


def compare_kind(report, plan):
    """The ``Comparison`` of one kind of document for the report's period."""
    crm, erp = report.crm_connector, report.erp_connector
    start, end = report.period_start, report.period_end
    crm_docs = reading.read_period(crm, plan.crm, start, end)
    erp_docs = reading.read_period(erp, plan.erp, start, end, audited_only=plan.erp_audited_only)
    links = cross_links(crm, plan.crm.obj, erp, plan.erp.obj, crm_docs, erp_docs)
    reverse = {erp_id: crm_id for crm_id, erp_id in links.items()}
    erp_elsewhere = reading.read_ids(
        erp, plan.erp, {links[i] for i in crm_docs if i in links} - set(erp_docs)
    )
    crm_elsewhere = reading.read_ids(
        crm, plan.crm, {reverse[i] for i in erp_docs if i in reverse} - set(crm_docs)
    )
    return matching.compare(plan.kind, crm_docs, erp_docs, links, crm_elsewhere, erp_elsewhere)


def cross_links(crm, crm_obj, erp, erp_obj, crm_docs, erp_docs):
    """``{crm id: erp id}`` from the cross-references of these documents, whichever way they synced."""
    links = {}
    pairs = CrossReference.objects.exclude(target_id="")
    outbound = pairs.filter(
        source_connector=crm, source_object=crm_obj, target_connector=erp, target_object=erp_obj
    )
    inbound = pairs.filter(
        source_connector=erp, source_object=erp_obj, target_connector=crm, target_object=crm_obj
    )
    for chunk in chunks(sorted(crm_docs), _CHUNK):
        links.update(outbound.filter(source_id__in=chunk).values_list("source_id", "target_id"))
        links.update(inbound.filter(target_id__in=chunk).values_list("target_id", "source_id"))
    for chunk in chunks(sorted(erp_docs), _CHUNK):
        links.update(outbound.filter(target_id__in=chunk).values_list("source_id", "target_id"))
        links.update(inbound.filter(source_id__in=chunk).values_list("target_id", "source_id"))
    return links


def _rows(report, comparisons):
    for comparison in comparisons:
        for difference in comparison.differences:
            crm, erp = difference.crm, difference.erp
            yield ReconciliationDifference(
                report=report,
                kind=comparison.kind,
                problem=difference.problem,
                crm_id=crm.id if crm else "",
                crm_number=crm.number if crm else "",
                crm_date=crm.day if crm else None,
                crm_amount=crm.amount if crm else None,
                erp_id=erp.id if erp else "",
                erp_number=erp.number if erp else "",
                erp_date=erp.day if erp else None,
                erp_amount=erp.amount if erp else None,
            )


def _finish(report, status, totals=None, message=""):
    ReconciliationReport.objects.filter(pk=report.pk).update(
        status=status, totals=totals or {}, message=message, finished_at=timezone.now()
    )
    report.refresh_from_db()
    return report


def _read_failed(error):
    return _("The report could not read %(system)s: %(reason)s. Run it again once the system answers.") % {
        "system": error.system or _("a connected system"),
        "reason": error.message,
    }


# --- on a schedule ---------------------------------------------------------------------


def connector_pairs():
    """Each (CRM connector, ERP connector) pair that some flow connects."""
    pairs = set()
    for flow in SyncFlow.objects.select_related("source_connector", "target_connector"):
        ends = {
            flow.source_connector.system: flow.source_connector,
            flow.target_connector.system: flow.target_connector,
        }
        if System.FXIAOKE in ends and System.K3CLOUD in ends:
            pairs.add((ends[System.FXIAOKE], ends[System.K3CLOUD]))
    return sorted(pairs, key=lambda pair: (pair[0].pk, pair[1].pk))


def run_scheduled(today=None, days=None):
    """Reconcile the last ``days`` days up to yesterday for every connector pair, mailing each result."""
    today = today or timezone.localdate()
    days = days or settings.INTEGRATION_HUB_RECONCILIATION_DAYS
    end = today - timedelta(days=1)
    start = end - timedelta(days=days - 1)
    reports = []
    for crm, erp in connector_pairs():
        report = ReconciliationReport.objects.create(
            crm_connector=crm, erp_connector=erp, period_start=start, period_end=end, scheduled=True
        )
        reports.append(run_report(report.pk))
        mail_report(reports[-1])
    return reports


def mail_report(report):
    """Mail the report's summary, with the workbook attached, to finance and integration admins."""
    with mail.in_product_language():
        return mail.send(
            export.subject(report),
            export.summary_text(report),
            mail.finance_recipients(),
            attachments=[(export.filename(report), export.workbook_bytes(report), export.XLSX_MIME)],
        )
