"""Records: one row per record per run, millions of them; read-only, fast to filter and search."""

from django.contrib import admin, messages
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from syncjobs.admin.base import (
    DateRangeFilter,
    LargeTableMixin,
    PlainLinksMixin,
    ReadOnlyMixin,
    pretty_json,
)
from syncjobs.admin.exports import AuditExportMixin
from syncjobs.models import SyncRecord
from syncjobs.queries.search import search_records
from syncjobs.resources import SyncRecordResource
from syncjobs.services import sync


@admin.register(SyncRecord)
class SyncRecordAdmin(PlainLinksMixin, LargeTableMixin, ReadOnlyMixin, AuditExportMixin, admin.ModelAdmin):
    resource_classes = [SyncRecordResource]
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
    list_filter = ("flow", "status", "action", "run__trigger", ("created_at", DateRangeFilter))
    date_hierarchy = "created_at"
    list_select_related = ("flow",)
    search_fields = ("source_id", "source_number", "target_id", "target_number", "error_message")
    search_help_text = _("The start of a source or target ID or number, or words from the error.")
    fieldsets = (
        (
            None,
            {"fields": ("run", "flow", "mapping_version", "action", "status", "attempts", "next_attempt_at")},
        ),
        (
            _("Identity"),
            {"fields": (("source_id", "source_number"), ("target_id", "target_number"), "waiting_for")},
        ),
        (_("Error"), {"fields": ("error_code", "error_field", "error_display")}),
        (
            _("Data"),
            {"fields": ("post_actions_done", "source_display", "payload_display", "response_display")},
        ),
        (_("Timing"), {"fields": ("created_at", "updated_at")}),
    )
    readonly_fields = ("error_display", "source_display", "payload_display", "response_display")
    actions = ["rerun_records"]

    def has_rerun_permission(self, request):
        return request.user.has_perm("syncjobs.rerun_syncrecord")

    @admin.action(description=_("Re-run selected failed, dead or waiting records"), permissions=["rerun"])
    def rerun_records(self, request, queryset):
        """Queue one run per flow for the selected records that still need it."""
        runs = sync.rerun_records(queryset.values_list("pk", flat=True), user=request.user)
        queued = sum(len(run.options.get("ids", [])) for run in runs)
        if not runs:
            self.message_user(
                request, _("None of the selected records is failed, dead or waiting."), messages.WARNING
            )
            return
        self.message_user(
            request,
            ngettext(
                "Queued %(records)d record again in %(runs)d run.",
                "Queued %(records)d records again in %(runs)d runs.",
                queued,
            )
            % {"records": queued, "runs": len(runs)},
        )

    def get_search_results(self, request, queryset, search_term):
        return search_records(queryset, search_term), False

    @admin.display(description=_("run"), ordering="run")
    def run_number(self, record):
        return record.run_id

    @admin.display(description=_("error"))
    def short_error(self, record):
        return Truncator(record.error_text).chars(80)

    @admin.display(description=_("error"))
    def error_display(self, record):
        return record.error_text

    @admin.display(description=_("source record"))
    def source_display(self, record):
        return pretty_json(record.source_snapshot)

    @admin.display(description=_("mapped payload"))
    def payload_display(self, record):
        return pretty_json(record.mapped_payload)

    @admin.display(description=_("response excerpt"))
    def response_display(self, record):
        return pretty_json(record.response_excerpt)
