"""Records: one row per record per run, millions of them; read-only, fast to filter and search."""

from django.contrib import admin
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from import_export.admin import ExportMixin

from syncjobs.admin.base import AUDIT_FORMATS, LargeTableMixin, ReadOnlyMixin, pretty_json
from syncjobs.models import SyncRecord
from syncjobs.resources import SyncRecordResource
from syncjobs.selectors import search_records


@admin.register(SyncRecord)
class SyncRecordAdmin(LargeTableMixin, ReadOnlyMixin, ExportMixin, admin.ModelAdmin):
    resource_classes = [SyncRecordResource]
    export_formats = AUDIT_FORMATS
    list_display = (
        "id",
        "run_number",
        "flow",
        "source_id",
        "source_number",
        "target_number",
        "action",
        "status",
        "attempts",
        "short_error",
        "created_at",
    )
    list_filter = ("flow", "status", "action", "run__trigger", "created_at")
    list_select_related = ("flow",)
    search_fields = ("source_id", "source_number", "target_id", "target_number", "error_message")
    search_help_text = _("An exact source or target ID or number, or words from the error.")
    fieldsets = (
        (
            None,
            {"fields": ("run", "flow", "mapping_version", "action", "status", "attempts", "next_attempt_at")},
        ),
        (
            _("Identity"),
            {"fields": (("source_id", "source_number"), ("target_id", "target_number"), "waiting_for")},
        ),
        (_("Error"), {"fields": ("error_code", "error_field", "error_message")}),
        (
            _("Data"),
            {"fields": ("post_actions_done", "source_display", "payload_display", "response_display")},
        ),
        (_("Timing"), {"fields": ("created_at", "updated_at")}),
    )
    readonly_fields = ("source_display", "payload_display", "response_display")

    def get_search_results(self, request, queryset, search_term):
        return search_records(queryset, search_term), False

    @admin.display(description=_("run"), ordering="run")
    def run_number(self, record):
        return record.run_id

    @admin.display(description=_("error"))
    def short_error(self, record):
        return Truncator(record.error_message).chars(80)

    @admin.display(description=_("source record"))
    def source_display(self, record):
        return pretty_json(record.source_snapshot)

    @admin.display(description=_("mapped payload"))
    def payload_display(self, record):
        return pretty_json(record.mapped_payload)

    @admin.display(description=_("response excerpt"))
    def response_display(self, record):
        return pretty_json(record.response_excerpt)
