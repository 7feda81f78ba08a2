"""The simulated ERP in the admin: account sets, sessions and records (editable, as a person
would change them in the ERP's own client)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from sandbox import clock
from sandbox.k3cloud import store
from sandbox.k3cloud.context import SYSTEM
from sandbox.k3cloud.metadata import get_form
from sandbox.k3cloud.models import Record, Session, Tenant
from sandbox.k3cloud.values import cut_to_millis


@admin.register(Tenant)
class TenantAdmin(admin.ModelAdmin):
    list_display = ["name", "acct_id", "username", "app_id", "created_at"]
    search_fields = ["name", "acct_id", "app_id"]
    readonly_fields = ["acct_id", "user_id", "org_id", "created_at"]

    def has_add_permission(self, request):
        # Account sets come from ``manage.py sandbox seed``, which also gives them base data.
        return False


@admin.register(Session)
class SessionAdmin(admin.ModelAdmin):
    list_display = ["tenant", "via", "issued_at", "last_seen_at"]
    list_filter = ["via", "tenant"]
    list_select_related = ["tenant"]
    readonly_fields = ["tenant", "key", "aspnet_key", "via", "lcid", "org_id", "issued_at", "last_seen_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Record)
class RecordAdmin(admin.ModelAdmin):
    """Browse and change ERP records; saving counts as a change made in the ERP."""

    list_display = [
        "number",
        "name",
        "form",
        "document_status",
        "forbid_status",
        "modified_at",
        "approved_at",
        "tenant",
    ]
    list_filter = ["form", "document_status", "forbid_status", "tenant"]
    list_select_related = ["tenant"]
    search_fields = ["number", "name"]
    readonly_fields = ["tenant", "form", "master_id", "org_id", "created_at", "modified_at", "approved_at"]
    fields = [*readonly_fields, "number", "name", "document_status", "forbid_status", "data"]
    list_per_page = 50

    def has_add_permission(self, request):
        # Records are created through the Web API, a seed or the simulation: they need system fields.
        return False

    def save_model(self, request, obj, form, change):
        store.save_edited(obj, cut_to_millis(clock.now(SYSTEM)))

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if obj is not None:
            described = get_form(obj.form)
            form.base_fields["data"].help_text = _(
                "The record's fields by field key (entry rows under their entity key); references hold "
                "the referenced record's id. Saving stamps FModifyDate, so incremental pulls pick the "
                "change up. Form: %(form)s."
            ) % {"form": described.caption if described else obj.form}
        return form
