"""Value maps, edited with their entries inline; importable one entry per row."""

from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from syncjobs.admin.base import CONFIG_FORMATS
from syncjobs.admin.importing import HubImportExportMixin
from syncjobs.models import ValueMap, ValueMapEntry
from syncjobs.resources import ValueMapEntryResource
from syncjobs.scenarios.descriptions import description_text


class ValueMapEntryInline(admin.TabularInline):
    model = ValueMapEntry
    extra = 3
    fields = ("source_value", "target_value", "note")

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        # A tabular inline shows the labels once, as column heads: each box is named too.
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if field is not None and db_field.name in self.fields:
            field.widget.attrs["aria-label"] = db_field.verbose_name
        return field


@admin.register(ValueMap)
class ValueMapAdmin(SimpleHistoryAdmin):
    inlines = [ValueMapEntryInline]
    list_display = ("name", "slug", "about", "entry_count", "updated_at")
    search_fields = ("name", "slug", "entries__source_value", "entries__target_value")
    prepopulated_fields = {"slug": ("name",)}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(entry_count=Count("entries"))

    @admin.display(description=_("description"))
    def about(self, value_map):
        return description_text(value_map.description)

    @admin.display(description=_("entries"), ordering="entry_count")
    def entry_count(self, value_map):
        return value_map.entry_count


@admin.register(ValueMapEntry)
class ValueMapEntryAdmin(HubImportExportMixin, admin.ModelAdmin):
    """The entries of every map in one list: where a whole map is imported or exported."""

    resource_classes = [ValueMapEntryResource]
    export_formats = CONFIG_FORMATS
    list_display = ("value_map", "source_value", "target_value", "note")
    list_filter = ("value_map",)
    list_select_related = ("value_map",)
    search_fields = ("source_value", "target_value")
