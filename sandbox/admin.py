"""The sandbox's shared state in the admin: fault switches per system and the call log."""

from django.contrib import admin

from sandbox.models import CallLogEntry, SystemSwitches


@admin.register(SystemSwitches)
class SystemSwitchesAdmin(admin.ModelAdmin):
    list_display = ["system", "version", "seed", "clock_offset_seconds", "sessions_valid_after"]
    readonly_fields = ["system", "version"]
    fields = ["system", "faults", "seed", "clock_offset_seconds", "sessions_valid_after", "version"]

    def save_model(self, request, obj, form, change):
        # A new version restarts the seeded fault draws, as ``sandbox faults`` does.
        obj.version += 1
        super().save_model(request, obj, form, change)


@admin.register(CallLogEntry)
class CallLogEntryAdmin(admin.ModelAdmin):
    list_display = ["at", "system", "tenant", "operation", "outcome", "rows", "elapsed_ms"]
    list_filter = ["system", "outcome", "operation"]
    search_fields = ["tenant", "operation", "detail"]
    readonly_fields = ["system", "tenant", "operation", "outcome", "detail", "rows", "at", "elapsed_ms"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
