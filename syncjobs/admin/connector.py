"""Connectors: credentials are write-only, and "Test connection" checks what the flows need with them."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST
from simple_history.admin import SimpleHistoryAdmin

from syncjobs.admin.base import CONFIG_FORMATS
from syncjobs.admin.importing import HubImportExportMixin
from syncjobs.models import Connector
from syncjobs.resources import ConnectorResource
from syncjobs.services.connection_checklist import check_connector

SECRETS = Connector.SECRET_FIELDS


def _formfield(db_field, **kwargs):
    if db_field.name == "base_url":
        kwargs["assume_scheme"] = "https"
    return db_field.formfield(**kwargs)


class ConnectorForm(forms.ModelForm):
    """Secrets are never rendered back; a blank secret field keeps the stored value."""

    class Meta:
        model = Connector
        fields = [field.name for field in Connector._meta.fields if field.editable and not field.auto_created]
        widgets = {name: forms.PasswordInput(render_value=False) for name in SECRETS}
        formfield_callback = _formfield

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in SECRETS:
            if name not in self.fields:
                continue
            self.fields[name].required = False
            self.fields[name].help_text = self._secret_help(name)

    def _secret_help(self, name):
        if self.instance.pk and self.instance.has_value(name):
            return _("Stored (encrypted). Leave blank to keep it; type a new value to replace it.")
        return _("Not set.")

    def clean(self):
        cleaned = super().clean()
        for name in SECRETS:
            if name in cleaned and not cleaned[name]:
                # Absent from cleaned_data, the model keeps its stored value.
                del cleaned[name]
        return cleaned


@admin.register(Connector)
class ConnectorAdmin(HubImportExportMixin, SimpleHistoryAdmin):
    form = ConnectorForm
    resource_classes = [ConnectorResource]
    export_formats = CONFIG_FORMATS
    list_display = ("name", "system", "base_url", "connector_key", "credentials")
    list_filter = ("system",)
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}
    change_form_template = "admin/syncjobs/connector/change_form.html"
    fieldsets = (
        (None, {"fields": ("name", "slug", "system", "base_url")}),
        (
            _("Kingdee K3Cloud"),
            {"fields": ("acct_id", "username", "auth_mode", "password", "lcid", "org_number")},
        ),
        (_("Fxiaoke"), {"fields": ("open_user_id", "mobile", "permanent_code")}),
        (
            _("App credentials (both systems)"),
            {"fields": ("app_id", "app_secret")},
        ),
        (
            _("Limits"),
            {
                "classes": ("collapse",),
                "fields": (
                    "timeout",
                    "max_concurrency",
                    "rate_limit",
                    "rate_period_seconds",
                    "rate_budget_share",
                    "daily_call_quota",
                ),
            },
        ),
    )

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "base_url":
            kwargs["assume_scheme"] = "https"
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    @admin.display(description=_("credentials"))
    def credentials(self, connector):
        needed = [name for name in connector.required_fields() if name in SECRETS]
        stored = sum(1 for name in needed if connector.has_value(name))
        return _("%(stored)s of %(needed)s stored") % {"stored": stored, "needed": len(needed)}

    def has_test_permission(self, request):
        return request.user.has_perm("syncjobs.test_connector")

    def get_urls(self):
        return [
            path(
                "<path:object_id>/test-connection/",
                self.admin_site.admin_view(self.test_connection_view),
                name=f"{self.opts.app_label}_{self.opts.model_name}_test_connection",
            ),
            *super().get_urls(),
        ]

    @method_decorator(require_POST)
    def test_connection_view(self, request, object_id):
        """Sign in, then check what the enabled flows need; a checklist with the fix of each failed line."""
        if not self.has_test_permission(request):
            raise PermissionDenied
        connector = get_object_or_404(Connector, pk=object_id)
        checklist = check_connector(connector)
        self.message_user(request, checklist.summary(), messages.SUCCESS if checklist.ok else messages.ERROR)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": connector,
            "title": _("Test connection of %(name)s") % {"name": connector.name},
            "checklist": checklist,
            "change_url": reverse("admin:syncjobs_connector_change", args=[connector.pk]),
        }
        return TemplateResponse(request, "admin/syncjobs/connector/test_connection.html", context)

    @method_decorator(sensitive_post_parameters(*SECRETS))
    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        extra_context = {**(extra_context or {}), "can_test_connection": self.has_test_permission(request)}
        return super().changeform_view(request, object_id, form_url, extra_context)
