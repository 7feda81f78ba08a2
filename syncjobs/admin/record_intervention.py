"""Record interventions: what people did about records (replays, resolutions); only ever looked at."""

from django.contrib import admin
from django.db.models import Q
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from syncjobs.admin.base import LargeTableMixin, ReadOnlyMixin, pretty_json
from syncjobs.models import RecordIntervention


@admin.register(RecordIntervention)
class RecordInterventionAdmin(LargeTableMixin, ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("created_at", "kind", "flow", "source_id", "user", "reason", "timeline")
    list_filter = ("kind", "flow", "created_at")
    list_select_related = ("flow", "user")
    search_fields = ("source_id", "reason")
    search_help_text = _("An exact source ID, or words from the reason.")
    fields = (
        "created_at",
        "kind",
        "flow",
        "record",
        "source_id",
        "user",
        "reason",
        "previous_status",
        "run",
        "changes_display",
        "original_display",
        "edited_display",
    )
    readonly_fields = fields

    def get_search_results(self, request, queryset, search_term):
        term = search_term.strip()
        if not term:
            return queryset, False
        return queryset.filter(Q(source_id=term) | Q(reason__icontains=term)), False

    @admin.display(description=_("timeline"))
    def timeline(self, intervention):
        url = reverse("console:record_timeline", args=[intervention.record_id])
        return format_html('<a href="{}">{}</a>', url, _("timeline"))

    @admin.display(description=_("changed fields"))
    def changes_display(self, intervention):
        return pretty_json(intervention.changes)

    @admin.display(description=_("payload as mapped"))
    def original_display(self, intervention):
        return pretty_json(intervention.original_payload)

    @admin.display(description=_("payload as edited"))
    def edited_display(self, intervention):
        return pretty_json(intervention.edited_payload)
