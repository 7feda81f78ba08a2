"""The simulated CRM in the admin: tenants and their people, records (editable, as a person
would change them in the CRM) and the messages the hub sent."""

from datetime import UTC, datetime

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from sandbox.fxiaoke import activity, schema
from sandbox.fxiaoke.models import Department, Employee, Message, Record, Tenant


class TenantFilter(admin.RelatedFieldListFilter):
    """ "By tenant" in the reader's language (the models' tenant keys carry no verbose name)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.title = _("tenant")


class TenantColumnMixin:
    @admin.display(description=_("tenant"), ordering="tenant")
    def tenant_name(self, obj):
        return obj.tenant


class EmployeeInline(admin.TabularInline):
    model = Employee
    extra = 0
    fields = ["user_id", "open_user_id", "name", "mobile", "main_department_id", "is_crm_admin", "is_stop"]
    readonly_fields = ["open_user_id"]


class DepartmentInline(admin.TabularInline):
    model = Department
    extra = 0
    fields = ["dept_id", "name", "parent_id", "order", "is_stop"]


@admin.register(Tenant)
class TenantAdmin(admin.ModelAdmin):
    list_display = ["name", "corp_id", "app_id", "tenant_id", "created_at"]
    search_fields = ["name", "corp_id", "app_id"]
    readonly_fields = [
        "corp_id",
        "tenant_id",
        "app_id",
        "app_secret",
        "permanent_code",
        "counters",
        "created_at",
    ]
    inlines = [DepartmentInline, EmployeeInline]


class RecordForm(forms.ModelForm):
    class Meta:
        model = Record
        fields = ["data"]

    def clean(self):
        cleaned = super().clean()
        if not isinstance(cleaned.get("data"), dict):
            raise forms.ValidationError(_("The record must be a JSON object."))
        self.instance.data = cleaned["data"]
        activity.check_admin_edit(self.instance)
        cleaned["data"] = self.instance.data
        return cleaned


@admin.register(Record)
class RecordAdmin(TenantColumnMixin, admin.ModelAdmin):
    """Browse and change CRM records; saving counts as a change made in the CRM."""

    form = RecordForm
    list_display = ["object_id", "api_name", "name", "life_status", "modified", "tenant_name"]
    list_filter = ["api_name", "life_status", ("tenant", TenantFilter)]
    list_select_related = ["tenant"]
    search_fields = ["object_id", "name"]
    readonly_fields = [
        "tenant_name",
        "api_name",
        "object_id",
        "name",
        "life_status",
        "create_time",
        "last_modified_time",
    ]
    fields = [*readonly_fields, "data"]
    list_per_page = 50

    @admin.display(description=_("last modified"), ordering="last_modified_time")
    def modified(self, record):
        return datetime.fromtimestamp(record.last_modified_time / 1000, tz=UTC)

    def has_add_permission(self, request):
        # Records are created through the API, a seed or an import: they need system fields.
        return False

    def save_model(self, request, obj, form, change):
        activity.save_admin_edit(obj)

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if obj is not None:
            form.base_fields["data"].help_text = _(
                "The record as the Open API returns it. Saving bumps last_modified_time, so incremental "
                "syncs pick the change up. Object: %(object)s."
            ) % {"object": schema.get(obj.api_name).display_name}
        return form


@admin.register(Message)
class MessageAdmin(TenantColumnMixin, admin.ModelAdmin):
    list_display = ["sent_at", "msg_type", "content", "tenant_name"]
    list_filter = ["msg_type", ("tenant", TenantFilter)]
    list_select_related = ["tenant"]
    search_fields = ["content"]
    readonly_fields = ["tenant_name", "to_users", "msg_type", "content", "body", "sent_at"]

    def has_add_permission(self, request):
        return False
