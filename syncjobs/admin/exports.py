"""Audit exports in the admin: the translated field chooser, typed formats, and big exports in the background.

An export of more rows than ``INTEGRATION_HUB_EXPORT_IN_BACKGROUND_ROWS`` is not built while the browser waits:
it is queued (the list's filters and the ticked columns), built by a django-q2 task, and its page
shows the rows written so far and then a download link, for the person who asked only.
"""

from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, QueryDict
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone, translation
from django.utils.encoding import force_str
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django_q.tasks import async_task
from import_export.admin import ExportMixin
from import_export.forms import SelectableFieldsExportForm

from syncjobs.admin.base import AUDIT_FORMATS
from syncjobs.exports import background
from syncjobs.models import ExportFile, ExportStatus

# The library's export page says "Select all" and ships no Chinese for it; marked here so the
# project's catalogue, which takes precedence over an app's, carries the translation.
gettext_noop("Select all")


class LabelledFieldsExportForm(SelectableFieldsExportForm):
    """The export form's field chooser, labelled with the columns' headers in the user's language."""

    def _get_field_label(self, resource, field_name):
        # The library titles the attribute name in English ("Created Count (created_count)").
        field = resource.fields.get(field_name)
        return force_str(field.column_name) if field else field_name


class AuditExportMixin(ExportMixin):
    """Exports of the audit trail: translated chooser, typed formats, business-time file names."""

    export_formats = AUDIT_FORMATS
    export_form_class = LabelledFieldsExportForm

    def get_export_data(self, file_format, request, queryset, **kwargs):
        # Native values for both formats: the audit formats write numbers and dates themselves.
        if not self.has_export_permission(request):
            raise PermissionDenied
        data = self.get_data_for_export(request, queryset, force_native_type=True, **kwargs)
        return file_format.export_data(data)

    def get_export_filename(self, request, queryset, file_format):
        day = timezone.localdate()  # the business day (TIME_ZONE), not UTC's
        return f"{self.model.__name__}-{day:%Y-%m-%d}.{file_format.get_extension()}"

    # --- background exports ------------------------------------------------------------

    def _do_file_export(self, file_format, request, queryset, export_form=None):
        limit = settings.INTEGRATION_HUB_EXPORT_IN_BACKGROUND_ROWS
        if queryset.order_by()[: limit + 1].count() <= limit:
            return super()._do_file_export(file_format, request, queryset, export_form=export_form)
        job = ExportFile.objects.create(
            requested_by=request.user,
            model_name=self.opts.model_name,
            file_format=file_format.get_extension(),
            query=dict(request.GET.lists()),
            fields=self.get_export_resource_fields_from_form(export_form) or [],
            language=translation.get_language(),
            file_name=self.get_export_filename(request, queryset, file_format),
        )
        transaction.on_commit(lambda: async_task("syncjobs.tasks.build_export", job.pk))
        return redirect(self._export_url("progress", job))

    def get_urls(self):
        view = self.admin_site.admin_view
        prefix = f"{self.opts.app_label}_{self.opts.model_name}_export"
        return [
            path("export/<int:job_id>/", view(self.export_progress_view), name=f"{prefix}_progress"),
            path(
                "export/<int:job_id>/download/",
                view(self.export_download_view),
                name=f"{prefix}_download",
            ),
            *super().get_urls(),
        ]

    def _export_url(self, view, job):
        return reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_export_{view}", args=[job.pk])

    def _own_export(self, request, job_id):
        # Only the person who asked sees an export's page or file (filters can hold names).
        if not self.has_export_permission(request):
            raise PermissionDenied
        return get_object_or_404(
            ExportFile, pk=job_id, requested_by=request.user, model_name=self.opts.model_name
        )

    def export_progress_view(self, request, job_id):
        job = self._own_export(request, job_id)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Export"),
            "opts": self.opts,
            "job": job,
            "waiting": job.status in (ExportStatus.QUEUED, ExportStatus.RUNNING),
            "download_url": self._export_url("download", job),
        }
        return TemplateResponse(request, "admin/syncjobs/export_progress.html", context)

    def export_download_view(self, request, job_id):
        job = self._own_export(request, job_id)
        path_ = background.file_path(job)
        if job.status != ExportStatus.DONE or not path_.exists():
            raise Http404
        return FileResponse(path_.open("rb"), as_attachment=True, filename=job.file_name)


def build_export(job_id):
    """Build a queued export: the same list, filters and columns its page was asked for."""
    job = background.claim(job_id)
    if job is None:
        return None
    background.prune()
    model_admin = admin.site.get_model_admin(apps.get_model("syncjobs", job.model_name))
    request = _list_request(job)
    try:
        with translation.override(job.language):
            queryset = model_admin.get_export_queryset(request)
            resource = model_admin.get_export_resource_classes(request)[0]()
            file_format = next(
                f for f in model_admin.export_formats if f().get_extension() == job.file_format
            )
            background.write(job, resource, queryset, file_format())
    except Exception as error:  # any fault ends the export as failed, with its reason on the page
        background.fail(job, error)
    return job.pk


def _list_request(job):
    """A GET of the list with the export's filters, as its requester: what the admin filters on."""
    request = HttpRequest()
    request.method = "GET"
    request.GET = QueryDict(mutable=True)
    for key, values in job.query.items():
        request.GET.setlist(key, values)
    request.user = job.requested_by
    return request
