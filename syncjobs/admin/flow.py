"""Flows with their mapping rows inline; each save of the rows stores a new mapping version."""

from django import forms
from django.contrib import admin
from django.contrib.messages import ERROR, WARNING
from django.db.models import Max
from django.forms.models import BaseInlineFormSet
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from connectors.errors import ConnectorError
from syncjobs.admin.base import CONFIG_FORMATS
from syncjobs.admin.flow_operations import FlowOperationsMixin
from syncjobs.admin.importing import HubImportExportMixin
from syncjobs.admin.widgets import SuggestingTextInput
from syncjobs.crypto import CredentialDecryptionError
from syncjobs.engine.options import OptionsError
from syncjobs.mapping import MappingConfigError, mapping_errors
from syncjobs.models import FieldMapping, SyncFlow
from syncjobs.models.flow import record_mapping_version
from syncjobs.queries.labels import object_label
from syncjobs.queries.objects import object_choices
from syncjobs.resources import SyncFlowResource
from syncjobs.services import flows as flow_service
from syncjobs.services import resync, sync


def _side(connector, obj):
    """ "ERP · Customer", the object's API name on hover."""
    return format_html('{} · <span title="{}">{}</span>', connector, obj, object_label(obj))


class FieldMappingFormSet(BaseInlineFormSet):
    """Checks the rows together: one row per target, no target inside another."""

    def clean(self):
        super().clean()
        forms_ = [f for f in self.forms if f.has_changed() or f.instance.pk]
        forms_ = [f for f in forms_ if f.is_valid() and not self._should_delete_form(f)]
        problems = mapping_errors([f.cleaned_data for f in forms_])
        for number, fields in problems.items():
            for field, messages in fields.items():
                if field == "target_path":
                    for message in messages:
                        forms_[number - 1].add_error(field, message)


class FieldMappingInline(admin.TabularInline):
    model = FieldMapping
    formset = FieldMappingFormSet
    extra = 1
    fields = ("position", "target_path", "source_path", "transform", "params", "required", "note")

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "params":
            kwargs["widget"] = forms.Textarea(attrs={"rows": 2, "cols": 36})
        if db_field.name == "position":
            kwargs["widget"] = forms.NumberInput(attrs={"style": "width:4em"})
        return super().formfield_for_dbfield(db_field, request, **kwargs)


@admin.register(SyncFlow)
class SyncFlowAdmin(FlowOperationsMixin, HubImportExportMixin, SimpleHistoryAdmin):
    resource_classes = [SyncFlowResource]
    export_formats = CONFIG_FORMATS
    inlines = [FieldMappingInline]
    # Narrow enough for the live-progress column at 1440 px: the slug and the watermark are
    # on the flow's own page.
    list_display = ("name", "source", "target", "operation", "enabled", "schedule", "version")
    list_filter = ("enabled", "operation", "source_connector", "target_connector")
    list_select_related = ("source_connector", "target_connector")
    search_fields = ("name", "slug", "source_object", "target_object")
    prepopulated_fields = {"slug": ("name",)}
    filter_horizontal = ("depends_on",)
    readonly_fields = ("watermark", "boundary_ids", "latest_version")
    actions = ["enable_flows", "disable_flows", "dry_run_flow"]
    fieldsets = (
        (None, {"fields": ("name", "slug", "description", "enabled")}),
        (
            _("Source and target"),
            {"fields": ("source_connector", "source_object", "target_connector", "target_object")},
        ),
        (
            _("Writing"),
            {"fields": ("operation", "match_keys", "post_actions", "source_filter", "batch_size")},
        ),
        (_("Schedule and dependencies"), {"fields": ("schedule_minutes", "schedule_cron", "depends_on")}),
        (_("Options"), {"classes": ("collapse",), "fields": ("options",)}),
        (_("State"), {"fields": ("watermark", "boundary_ids", "latest_version")}),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(latest_version_number=Max("mapping_versions__number"))

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name in ("source_object", "target_object"):
            # Suggestions (leads included) while typing; any other object may be entered.
            kwargs["widget"] = SuggestingTextInput(object_choices, f"{db_field.name}-choices")
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    @admin.display(description=_("source"))
    def source(self, flow):
        return _side(flow.source_connector, flow.source_object)

    @admin.display(description=_("target"))
    def target(self, flow):
        return _side(flow.target_connector, flow.target_object)

    @admin.display(description=_("schedule"))
    def schedule(self, flow):
        if flow.schedule_cron:
            return flow.schedule_cron
        if flow.schedule_minutes:
            return _("every %(minutes)s min") % {"minutes": flow.schedule_minutes}
        return _("manual")

    @admin.display(description=_("mapping version"), ordering="latest_version_number")
    def version(self, flow):
        return flow.latest_version_number or "–"

    @admin.display(description=_("latest mapping version"))
    def latest_version(self, flow):
        latest = flow.mapping_versions.order_by("-number").first() if flow.pk else None
        if latest is None:
            return "–"
        url = reverse("admin:syncjobs_mappingversion_change", args=[latest.pk])
        return format_html('<a href="{}">{}</a>', url, latest)

    def process_result(self, result, request):
        # The confirmed file was refused on the way (see ``SyncFlowResource.import_data``):
        # nothing changed, and the import page says why instead of "Import finished".
        if not (result.has_errors() or result.has_validation_errors()):
            return super().process_result(result, request)
        problems = [str(m) for row in result.invalid_rows for m in row.error.messages]
        problems += [str(error.error) for _n, errors in result.row_errors() for error in errors]
        self.message_user(
            request, _("Nothing was imported: %(problems)s") % {"problems": " ".join(problems)}, ERROR
        )
        return redirect("admin:syncjobs_syncflow_import")

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        version, created = record_mapping_version(form.instance, user=request.user)
        if created:
            self.message_user(
                request, _("Saved the mapping as version %(number)s.") % {"number": version.number}
            )
            if request.user.has_perm("syncjobs.run_syncflow") and resync.worth_offering(version):
                url = reverse("console:resync_offer", args=[version.pk])
                self.message_user(
                    request,
                    format_html(
                        '{} <a href="{}">{}</a>',
                        _("This version changes what the flow writes to the records it wrote before."),
                        url,
                        _("Resync them…"),
                    ),
                )

    @admin.action(description=_("Enable selected flows"), permissions=["change"])
    def enable_flows(self, request, queryset):
        self._report_enabled(request, flow_service.set_enabled(queryset, True))

    @admin.action(description=_("Disable selected flows"), permissions=["change"])
    def disable_flows(self, request, queryset):
        self._report_enabled(request, flow_service.set_enabled(queryset, False))

    @admin.action(description=_("Dry run (show what a run would do, write nothing)"), permissions=["run"])
    def dry_run_flow(self, request, queryset):
        """Evaluate one flow against live source records and show the result as a page."""
        if queryset.count() != 1:
            self.message_user(request, _("Choose exactly one flow for a dry run."), WARNING)
            return None
        flow = queryset.select_related("source_connector", "target_connector").get()
        try:
            report = sync.dry_run(flow)
        except (OptionsError, MappingConfigError, ConnectorError, CredentialDecryptionError) as exc:
            self.message_user(
                request,
                _("The dry run of %(flow)s could not be made: %(error)s") % {"flow": flow, "error": exc},
                ERROR,
            )
            return None
        context = {**self.admin_site.each_context(request), "opts": self.opts, "flow": flow, "report": report}
        context["title"] = _("Dry run of %(flow)s") % {"flow": flow}
        return TemplateResponse(request, "syncjobs/admin/dry_run.html", context)

    def _report_enabled(self, request, count):
        message = ngettext("%(count)d flow changed.", "%(count)d flows changed.", count) % {"count": count}
        self.message_user(request, message)
