"""Mapping versions: immutable snapshots, only ever looked at."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from syncjobs.admin.base import ReadOnlyMixin, pretty_json
from syncjobs.models import MappingVersion


@admin.register(MappingVersion)
class MappingVersionAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("flow", "number", "created_at", "created_by")
    list_filter = ("flow",)
    list_select_related = ("flow", "created_by")
    fields = ("flow", "number", "created_at", "created_by", "fingerprint", "rows_display")
    readonly_fields = fields

    @admin.display(description=_("mapping rows"))
    def rows_display(self, version):
        return pretty_json(version.rows)
