"""Shared pieces for the admin: bounded counting for big tables, read-only audit admins, exports."""

import json

from django.contrib.admin.views.main import PAGE_VAR
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.utils import timezone
from django.utils.encoding import force_str
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.translation import gettext_noop
from import_export.admin import ExportMixin
from import_export.forms import SelectableFieldsExportForm

from syncjobs.exports.formats import AuditCSV, AuditXLSX, ConfigCSV, ConfigJSON, ConfigXLSX

CONFIG_FORMATS = [ConfigJSON, ConfigCSV, ConfigXLSX]
AUDIT_FORMATS = [AuditCSV, AuditXLSX]


class BoundedCountPaginator(Paginator):
    """Counts at most a few pages beyond the one asked for, never the whole table.

    A changelist over millions of records would otherwise run ``COUNT(*)`` on every view.
    ``capped`` tells the template to say "more than" instead of a total.
    """

    def __init__(self, object_list, per_page, *, page_hint=1, pages_ahead=10, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.page_hint = max(page_hint, 1)
        self.pages_ahead = pages_ahead
        self.capped = False

    @cached_property
    def count(self):
        limit = (self.page_hint + self.pages_ahead) * self.per_page
        counted = self.object_list.order_by()[: limit + 1].count()
        self.capped = counted > limit
        return min(counted, limit)


class LargeTableMixin:
    """For changelists over very large tables: no full count, a bounded paginator."""

    show_full_result_count = False
    paginator = BoundedCountPaginator
    list_per_page = 50

    def get_paginator(self, request, queryset, per_page, orphans=0, allow_empty_first_page=True):
        try:
            page_hint = int(request.GET.get(PAGE_VAR, 1))
        except ValueError:
            page_hint = 1
        return self.paginator(
            queryset,
            per_page,
            orphans=orphans,
            allow_empty_first_page=allow_empty_first_page,
            page_hint=page_hint,
        )


class ReadOnlyMixin:
    """Audit data: viewed and exported, never added, edited or deleted in the admin."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def pretty_json(value):
    """JSON shown in a monospace block (escaped)."""
    return format_html("<pre>{}</pre>", json.dumps(value, ensure_ascii=False, indent=2, default=str))


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
