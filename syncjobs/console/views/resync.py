"""The offer made after a mapping version is saved: resync the records the flow has written."""

from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from syncjobs.console.views.base import CHANGE_FLOWS, RUN_FLOWS, render, report, require
from syncjobs.models import MappingVersion
from syncjobs.operations import control
from syncjobs.services import resync


def offer(request, version_id):
    """GET: how many records the flow wrote and how many a dry run says would change;
    POST: queue their resync and show its live progress. Without an offer (the version
    changes nothing written, a newer one exists, nothing was written) back to the editor."""
    require(request, CHANGE_FLOWS, RUN_FLOWS)
    version = get_object_or_404(
        MappingVersion.objects.select_related("flow__source_connector", "flow__target_connector"),
        pk=version_id,
    )
    flow = version.flow
    editor = reverse("console:mapping_editor", args=[flow.pk])
    if request.method == "POST":
        run = resync.resync_written(flow, user=request.user)
        if run is None:
            return redirect(editor)
        control.hold_if_paused(run)
        count = len(run.options.get("ids") or [])
        report(
            request,
            ngettext(
                "Resync of %(count)d record queued as run %(run)s.",
                "Resync of %(count)d records queued as run %(run)s.",
                count,
            )
            % {"count": count, "run": run.pk},
        )
        return redirect(reverse("admin:syncjobs_syncrun_change", args=[run.pk]))
    proposal = resync.offer_for(version)
    if proposal is None:
        return redirect(editor)
    return render(
        request,
        "admin/syncjobs/console/resync_offer.html",
        _("Resync %(flow)s with version %(number)s?") % {"flow": flow, "number": version.number},
        flow=flow,
        version=version,
        offer=proposal,
        editor_url=editor,
    )
