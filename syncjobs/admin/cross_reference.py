"""Cross-references: which source record is which target record."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from syncjobs.admin.base import LargeTableMixin
from syncjobs.admin.exports import AuditExportMixin
from syncjobs.models import CrossReference
from syncjobs.queries.search import search_cross_references
from syncjobs.resources import CrossReferenceResource


@admin.register(CrossReference)
class CrossReferenceAdmin(LargeTableMixin, AuditExportMixin, admin.ModelAdmin):
    """Editable by integration admins (to repair a wrong link); viewed and exported by finance."""

    resource_classes = [CrossReferenceResource]
    list_display = (
        "id",
        "source_object",
        "source_id",
        "source_number",
        "target_object",
        "target_id",
        "target_number",
        "flow",
        "last_synced_at",
    )
    list_filter = ("flow", "source_object", "target_object")
    list_select_related = ("flow",)
    search_fields = ("source_id", "source_number", "target_id", "target_number")
    search_help_text = _("An exact source or target ID or number.")
    raw_id_fields = ("flow",)
    readonly_fields = ("created_at", "updated_at")

    def get_search_results(self, request, queryset, search_term):
        return search_cross_references(queryset, search_term), False
