"""The mapping editor: rows with pickers, a form per transform, a preview before saving."""

from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from syncjobs.console.rows import row_formset
from syncjobs.console.views.base import CHANGE_FLOWS, RUN_FLOWS, render, report, require
from syncjobs.models import Connector, SyncFlow, SyncRecord, ValueMap
from syncjobs.models.flow import confirmed_unlisted, snapshot_rows
from syncjobs.queries import pickers
from syncjobs.services import mapping_editor, resync

RECENT_RECORDS = 30


def _flow(flow_id):
    return get_object_or_404(
        SyncFlow.objects.select_related("source_connector", "target_connector"), pk=flow_id
    )


def editor(request, flow_id):
    """GET shows the saved rows; POST previews them on one record (``_preview``), dry-runs them
    on the first records of the source (``_dry_run``), or saves them as a version."""
    require(request, CHANGE_FLOWS)
    flow = _flow(flow_id)
    formset = row_formset(
        rows=snapshot_rows(flow),
        data=request.POST if request.method == "POST" else None,
        confirmed=confirmed_unlisted(flow),
    )
    preview, report, problem = None, None, ""
    if request.method == "POST" and formset.is_valid():
        if "_preview" in request.POST:
            require(request, RUN_FLOWS)
            preview, problem = _tried(
                mapping_editor.preview, flow, formset.rows(), request.POST.get("preview_source", "")
            )
        elif "_dry_run" in request.POST:
            require(request, RUN_FLOWS)
            report, problem = _tried(mapping_editor.dry_run, flow, formset.rows())
        else:
            saved = _save(request, flow, formset)
            if saved is not None:
                return saved
    return render(
        request,
        "admin/syncjobs/console/mapping_editor.html",
        _("Mapping of %(flow)s") % {"flow": flow},
        flow=flow,
        formset=formset,
        preview=preview,
        dry_run=report,
        preview_error=problem,
        preview_source=request.POST.get("preview_source", ""),
        recent_sources=_recent_sources(flow),
        can_preview=request.user.has_perm(RUN_FLOWS),
        latest_version=flow.mapping_versions.order_by("-number").first(),
        value_map_ids=dict(ValueMap.objects.values_list("slug", "pk")),
    )


def _tried(action, *args):
    """``(result, "")``, or ``(None, message)`` when the preview or dry run could not be made."""
    try:
        return action(*args), ""
    except mapping_editor.PreviewFailed as exc:
        return None, str(exc)


def _save(request, flow, formset):
    """Save the rows once they fit the systems' metadata; None (problems on their rows) otherwise."""
    try:
        version, created = mapping_editor.save_checked_mapping(
            flow, formset.rows(), user=request.user, confirmed=formset.confirmed_targets()
        )
    except mapping_editor.MappingRefused as refused:
        formset.add_check_problems(refused.check)
        return None
    if created:
        report(request, _("Saved the mapping as version %(number)s.") % {"number": version.number})
        if request.user.has_perm(RUN_FLOWS) and resync.worth_offering(version):
            return redirect(reverse("console:resync_offer", args=[version.pk]))
    else:
        report(request, _("Nothing changed; the mapping stays at its latest version."))
    return redirect(reverse("console:mapping_editor", args=[flow.pk]))


def _recent_sources(flow):
    """Source records the flow met lately (newest first), to preview with; one query."""
    rows = (
        SyncRecord.objects.filter(flow=flow)
        .order_by("-id")
        .values_list("source_id", "source_number")[: RECENT_RECORDS * 5]
    )
    return list(dict.fromkeys(rows))[:RECENT_RECORDS]


# --- pickers: JSON for the editor's script -----------------------------------------------
def _answer(ask):
    try:
        return JsonResponse({"items": ask()})
    except pickers.PickerUnavailable as exc:
        return JsonResponse({"items": [], "error": str(exc)}, status=502)


def objects(request, connector_id):
    """The objects (CRM) or forms (ERP) of a connector."""
    require(request, CHANGE_FLOWS)
    connector = get_object_or_404(Connector, pk=connector_id)
    return _answer(lambda: pickers.object_choices(connector))


def fields(request, connector_id):
    """The fields of one object (``?object=``) of a connector, with their options."""
    require(request, CHANGE_FLOWS)
    connector = get_object_or_404(Connector, pk=connector_id)
    return _answer(lambda: pickers.field_choices(connector, request.GET.get("object", "")))


def refresh_fields(request, connector_id):
    """POST: ask the system again for the fields of ``?object=`` (the tenant's new fields appear)."""
    require(request, CHANGE_FLOWS)
    if request.method != "POST":
        return JsonResponse({"items": [], "error": _("Refreshing the fields takes a POST.")}, status=405)
    connector = get_object_or_404(Connector, pk=connector_id)
    return _answer(lambda: pickers.field_choices(connector, request.GET.get("object", ""), refresh=True))


def options(request, connector_id):
    """The numbers and names of a K3Cloud base-data form (``?form=``), for value pickers."""
    require(request, CHANGE_FLOWS)
    connector = get_object_or_404(Connector, pk=connector_id)
    return _answer(lambda: pickers.reference_options(connector, request.GET.get("form", "")))


def source_records(request, flow_id):
    """The first records of the flow's source, to pick one for the preview."""
    require(request, CHANGE_FLOWS)
    flow = _flow(flow_id)
    return _answer(lambda: pickers.sample_records(flow))
