"""The console's own records: reconciliation reports (requested, read, exported), webhook
events and alert mails (read-only)."""

from datetime import timedelta

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from syncjobs.admin.base import ReadOnlyMixin
from syncjobs.models import (
    AlertNotice,
    Connector,
    DocumentKind,
    Problem,
    ReconciliationReport,
    ReportStatus,
    System,
    WebhookEvent,
)
from syncjobs.operations.reconciliation import export, reports

MAX_DAYS = 366
PAGE_SIZE = 100


class ReconciliationRequestForm(forms.Form):
    period_start = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    period_end = forms.DateField(label=_("To (inclusive)"), widget=forms.DateInput(attrs={"type": "date"}))
    crm_connector = forms.ModelChoiceField(
        label=_("CRM connector"), queryset=Connector.objects.filter(system=System.FXIAOKE)
    )
    erp_connector = forms.ModelChoiceField(
        label=_("ERP connector"), queryset=Connector.objects.filter(system=System.K3CLOUD)
    )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("period_start"), cleaned.get("period_end")
        if start and end and start > end:
            raise ValidationError(_("The period ends before it starts; swap the two dates."))
        if start and end and (end - start).days >= MAX_DAYS:
            raise ValidationError(_("Choose a period of at most a year; run several reports for longer."))
        return cleaned


def _initial():
    today = timezone.localdate()
    first = today.replace(day=1)
    return {
        "period_start": first,
        "period_end": today - timedelta(days=1) if today > first else today,
        "crm_connector": Connector.objects.filter(system=System.FXIAOKE).first(),
        "erp_connector": Connector.objects.filter(system=System.K3CLOUD).first(),
    }


@admin.register(ReconciliationReport)
class ReconciliationReportAdmin(admin.ModelAdmin):
    """Finance reviewers read and export reports; integration admins also request them."""

    list_display = (
        "__str__",
        "crm_connector",
        "erp_connector",
        "status",
        "differences",
        "created_at",
        "origin",
    )
    list_filter = ("status", "scheduled")
    list_select_related = ("crm_connector", "erp_connector", "requested_by")

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("differences"))
    def differences(self, report):
        return sum(export.problem_count(totals) for totals in (report.totals or {}).values())

    @admin.display(description=_("requested by"))
    def origin(self, report):
        return report.requested_by or (_("schedule") if report.scheduled else "–")

    def get_urls(self):
        return [
            path(
                "<int:object_id>/export/",
                self.admin_site.admin_view(self.export_view),
                name=f"{self.opts.app_label}_{self.opts.model_name}_export",
            ),
            *super().get_urls(),
        ]

    def add_view(self, request, form_url="", extra_context=None):
        """Ask for a period and the two connectors; the report is queued for a worker."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = ReconciliationRequestForm(request.POST or None, initial=_initial())
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            report = reports.request_report(
                data["crm_connector"],
                data["erp_connector"],
                data["period_start"],
                data["period_end"],
                request.user,
            )
            self.message_user(request, _("The report is queued; this page fills in when it is done."))
            return redirect(reverse("admin:syncjobs_reconciliationreport_change", args=[report.pk]))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "form": form,
            "title": _("Reconcile the CRM and the ERP"),
        }
        return TemplateResponse(request, "admin/syncjobs/reconciliationreport/request.html", context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        """The report: totals per kind, then the differences, filtered by kind and problem."""
        report = get_object_or_404(
            ReconciliationReport.objects.select_related("crm_connector", "erp_connector"), pk=object_id
        )
        if not self.has_view_permission(request, report):
            raise PermissionDenied
        kind, problem = request.GET.get("kind", ""), request.GET.get("problem", "")
        differences = report.differences.all()
        if kind in DocumentKind.values:
            differences = differences.filter(kind=kind)
        if problem in Problem.values:
            differences = differences.filter(problem=problem)
        page = Paginator(differences, PAGE_SIZE).get_page(request.GET.get("page"))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": str(report),
            "report": report,
            "summary_header": export.summary_header(),
            "summary_rows": export.summary_rows(report),
            "page": page,
            "kinds": DocumentKind.choices,
            "problems": Problem.choices,
            "kind": kind,
            "problem": problem,
            "pending": report.status in (ReportStatus.QUEUED, ReportStatus.RUNNING),
            "has_delete_permission": self.has_delete_permission(request, report),
        }
        return TemplateResponse(request, "admin/syncjobs/reconciliationreport/report.html", context)

    def export_view(self, request, object_id):
        """The report as an .xlsx workbook (summary and every difference)."""
        report = get_object_or_404(ReconciliationReport, pk=object_id)
        if not self.has_view_permission(request, report):
            raise PermissionDenied
        response = HttpResponse(export.workbook_bytes(report), content_type=export.XLSX_MIME)
        response["Content-Disposition"] = f'attachment; filename="{export.filename(report)}"'
        return response


@admin.register(WebhookEvent)
class WebhookEventAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("event_id", "received_at", "object_name", "flow_slug", "record_count", "runs")
    search_fields = ("event_id",)
    list_filter = ("object_name",)

    @admin.display(description=_("records"))
    def record_count(self, event):
        return len(event.record_ids or [])


@admin.register(AlertNotice)
class AlertNoticeAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("subject", "cause", "last_sent_at", "sent_count", "first_sent_at")
    search_fields = ("cause", "subject")
