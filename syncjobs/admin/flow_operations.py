"""The flow list's operations: a live progress column, Run now, and pausing or resuming flows."""

from django.contrib import admin
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from syncjobs.models import Trigger
from syncjobs.operations import control
from syncjobs.services import sync


class FlowOperationsMixin:
    """Mixed into the flow admin; the rules live in ``syncjobs.operations.control``."""

    # "Run all" and the progress script; import-export wraps this template with its buttons.
    change_list_template = "admin/syncjobs/syncflow/change_list.html"

    def get_list_display(self, request):
        return [*super().get_list_display(request), "current_run"]

    def get_actions(self, request):
        actions = super().get_actions(request)
        for name in ("run_flows_now", "pause_flows", "resume_flows"):
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
