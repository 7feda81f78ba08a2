"""Runs: read-only, filterable, exported for finance."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from syncjobs.admin.base import (
    DateRangeFilter,
    LargeTableMixin,
    PlainLinksMixin,
    ReadOnlyMixin,
    pretty_json,
)
from syncjobs.admin.exports import AuditExportMixin
from syncjobs.models import SyncRun
from syncjobs.resources import SyncRunResource
from syncjobs.templatetags.operations import duration_words


@admin.register(SyncRun)
class SyncRunAdmin(PlainLinksMixin, LargeTableMixin, ReadOnlyMixin, AuditExportMixin, admin.ModelAdmin):
    resource_classes = [SyncRunResource]
    list_display = (
        "id",
        "flow",
        "trigger",
        "status",
        "phase",
        "queued_at",
        "duration_display",
        "read_count",
        "created_count",
        "updated_count",
        "unchanged_count",
        "skipped_count",
        "failed_count",
        "records_link",
    )
    list_filter = ("flow", "status", "trigger", ("queued_at", DateRangeFilter))
    date_hierarchy = "queued_at"
    list_select_related = ("flow",)
    search_fields = ("message",)
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "flow",
                    "trigger",
                    "status",
                    "requested_by",
                    "options",
                    "mapping_version",
                    "message_display",
                )
            },
        ),
        (_("Timing"), {"fields": ("queued_at", "started_at", "finished_at", "heartbeat_at", "resume_after")}),
        (
            _("Counts"),
            {
                "fields": (
                    ("read_count", "created_count", "updated_count"),
                    ("unchanged_count", "skipped_count", "failed_count"),
                    ("progress_done", "progress_total"),
                    "api_calls_display",
                )
            },
        ),
    )
    readonly_fields = ("api_calls_display", "timings_display", "message_display")

    @admin.display(description=_("duration"))
    def duration_display(self, run):
        return duration_words(run.duration)

    @admin.display(description=_("message"))
    def message_display(self, run):
        return run.message_text  # in the reader's language, whichever language the worker spoke

    @admin.display(description=_("API calls"))
    def api_calls_display(self, run):
        """Calls per connector and operation as a table (the stored JSON is for exports)."""
        rows = [
            (connector, operation, count)
            for connector, operations in sorted((run.api_calls or {}).items())
            if isinstance(operations, dict)
            for operation, count in sorted(operations.items())
        ]
        if not rows:
            return "–"
        body = format_html_join("", "<tr><td>{}</td><td><code>{}</code></td><td>{}</td></tr>", rows)
        return format_html(
            '<table class="hub-api-calls"><thead><tr><th>{}</th><th>{}</th><th>{}</th></tr></thead>'
            "<tbody>{}</tbody></table>",
            _("connector"),
            _("operation"),
            _("calls"),
            body,
        )

    @admin.display(description=_("timings (seconds)"))
    def timings_display(self, run):
        return pretty_json(run.timings)

    @admin.display(description=_("records"))
    def records_link(self, run):
        url = reverse("admin:syncjobs_syncrecord_changelist") + f"?run={run.pk}"
        return format_html('<a href="{}">{}</a>', url, _("records"))
