"""The flow list's operations: a live progress column, Run now, Resync…, pausing or resuming flows."""

from django import forms
from django.contrib import admin
from django.contrib.messages import WARNING
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from syncjobs.models import Trigger
from syncjobs.operations import control
from syncjobs.services import resync, sync


class ResyncForm(forms.Form):
    """The scope of a resync; ``syncjobs.services.resync.scope_from`` reads and checks it."""

    scope = forms.ChoiceField(
        label=_("Records"),
        widget=forms.RadioSelect,
        initial=resync.ALL,
        choices=[
            (resync.ALL, _("All records of the source")),
            (resync.SINCE, _("Records changed since a date")),
            (resync.FILTER, _("Records matching a source filter")),
            (resync.IDS, _("These records")),
        ],
    )
    since = forms.DateField(
        label=_("Changed since"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("From the start of this day, in the flow's time zone."),
    )
    source_filter = forms.CharField(
        label=_("Source filter"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 70}),
        help_text=_(
            "Added to the flow's own filter. CRM: JSON conditions, e.g. "
            '[{"field_name": "name", "operator": "LIKE", "field_values": ["Shanghai"]}]; '
            "ERP: the same, or a FilterString such as FCreateDate >= '2026-01-01'."
        ),
    )
    ids = forms.CharField(
        label=_("Source ids or numbers"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 70}),
        help_text=_("Separated by spaces, commas or new lines."),
    )

    def __init__(self, flow, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.flow = flow

    def clean(self):
        data = super().clean()
        try:
            self.resync_scope = resync.scope_from(
                self.flow, data.get("scope"), data.get("since"), data.get("source_filter"), data.get("ids")
            )
        except ValidationError as exc:
            self.add_error(None, exc)
        return data


class FlowOperationsMixin:
    """Mixed into the flow admin; the rules live in ``syncjobs.operations.control``."""

    # "Run all" and the progress script; import-export wraps this template with its buttons.
    change_list_template = "admin/syncjobs/syncflow/change_list.html"

    def get_list_display(self, request):
        return [*super().get_list_display(request), "current_run"]

    def get_actions(self, request):
        actions = super().get_actions(request)
        for name in ("run_flows_now", "resync_flow", "pause_flows", "resume_flows"):
            action = getattr(type(self), name)
            if self.has_run_permission(request):
                actions[name] = (action, name, action.short_description)
        return actions

    def has_run_permission(self, request):
        return request.user.has_perm("syncjobs.run_syncflow")

    @admin.display(description=_("current run"))
    def current_run(self, flow):
        # Filled and refreshed by progress.js from the progress endpoint: no query per row.
        return render_to_string("syncjobs/operations/flow_progress_cell.html", {"flow_id": flow.pk})

    @admin.action(description=_("Run now"))
    def run_flows_now(self, request, queryset):
        """Queue a run of each selected flow; with one flow, show its run's live progress."""
        started = [sync.start_run(flow, Trigger.MANUAL, user=request.user) for flow in queryset]
        for run in started:
            control.hold_if_paused(run)
        if len(started) == 1:
            return redirect(reverse("admin:syncjobs_syncrun_change", args=[started[0].pk]))
        self.message_user(
            request,
            ngettext("%(count)d run queued.", "%(count)d runs queued.", len(started))
            % {"count": len(started)},
        )
        return None

    @admin.action(description=_("Resync…"))
    def resync_flow(self, request, queryset):
        """Ask which records to write again, then queue the resync and show its live progress."""
        if queryset.count() != 1:
            self.message_user(request, _("Choose exactly one flow to resync."), WARNING)
            return None
        flow = queryset.select_related("source_connector", "target_connector").get()
        form = ResyncForm(flow, request.POST if "apply" in request.POST else None)
        if form.is_bound and form.is_valid():
            run = resync.start_resync(flow, form.resync_scope, user=request.user)
            control.hold_if_paused(run)
            return redirect(reverse("admin:syncjobs_syncrun_change", args=[run.pk]))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "flow": flow,
            "form": form,
            "written": resync.written(flow).count(),
            "title": _("Resync %(flow)s") % {"flow": flow},
        }
        return TemplateResponse(request, "syncjobs/admin/resync.html", context)

    @admin.action(description=_("Pause selected flows"))
    def pause_flows(self, request, queryset):
        for flow in queryset:
            control.pause_flow(flow, user=request.user)
        count = len(queryset)
        self.message_user(
            request,
            ngettext("%(count)d flow paused.", "%(count)d flows paused.", count) % {"count": count},
        )

    @admin.action(description=_("Resume selected flows"))
    def resume_flows(self, request, queryset):
        runs = [run for flow in queryset for run in control.resume_flow(flow)]
        count = len(queryset)
        self.message_user(
            request,
            ngettext(
                "%(count)d flow resumed; %(runs)d runs continue.",
                "%(count)d flows resumed; %(runs)d runs continue.",
                count,
            )
            % {"count": count, "runs": len(runs)},
        )
