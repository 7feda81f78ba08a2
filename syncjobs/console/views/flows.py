"""Flow control from the console: pause, resume, and run every flow in dependency order.

POST only (CSRF-checked by the admin view wrapper); each needs the "run flows" permission.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from syncjobs.models import SyncFlow
from syncjobs.operations import control

RUN_PERMISSION = "syncjobs.run_syncflow"


def _check(request):
    if not request.user.has_perm(RUN_PERMISSION):
        raise PermissionDenied


def _back(request, default):
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect(default)


@require_POST
def pause(request, flow_id):
    """Hold the flow's runs until it is resumed."""
    _check(request)
    flow = get_object_or_404(SyncFlow, pk=flow_id)
    control.pause_flow(flow, user=request.user)
    messages.success(
        request, _("“%(flow)s” is paused; its workers stop after the batch in hand.") % {"flow": flow}
    )
    return _back(request, reverse("admin:syncjobs_syncflow_changelist"))


@require_POST
def resume(request, flow_id):
    """Release the flow's held runs."""
    _check(request)
    flow = get_object_or_404(SyncFlow, pk=flow_id)
    released = control.resume_flow(flow)
    messages.success(
        request,
        ngettext(
            "“%(flow)s” is resumed; %(count)d run continues.",
            "“%(flow)s” is resumed; %(count)d runs continue.",
            len(released),
        )
        % {"flow": flow, "count": len(released)},
    )
    return _back(request, reverse("admin:syncjobs_syncflow_changelist"))


@require_POST
def run_all(request):
    """Queue every enabled, unpaused flow, parents before children."""
    _check(request)
    try:
        flows = control.run_all(user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if flows:
            messages.success(
                request,
                _("Queued %(count)d flows in dependency order: %(flows)s.")
                % {"count": len(flows), "flows": " → ".join(str(flow) for flow in flows)},
            )
        else:
            messages.warning(request, _("No enabled flow to run: enable a flow or resume a paused one."))
    return _back(request, reverse("admin:syncjobs_syncflow_changelist"))
