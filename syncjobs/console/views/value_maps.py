"""A value map's entries, edited next to the options of the fields it translates between."""

from django.shortcuts import get_object_or_404, redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from syncjobs.console.fixes import records_concerning
from syncjobs.console.forms import ValueMapEntryFormSet
from syncjobs.console.views.base import CHANGE_VALUE_MAPS, RERUN_RECORDS, render, report, require
from syncjobs.models import SyncFlow, ValueMap
from syncjobs.queries import pickers
from syncjobs.scenarios.descriptions import description_text
from syncjobs.services import sync
from syncjobs.services.flow_config import replace_entries


def value_map_entries(request, map_id):
    """GET lists the entries plus the source field's options without one; POST saves them.

    ``?flow=&source=&target=`` name the flow and the row's fields, so the source field's
    options (CRM select values, with labels) and the target's (options, or ERP base-data
    numbers) are offered as pickers.
    """
    require(request, CHANGE_VALUE_MAPS)
    value_map = get_object_or_404(ValueMap, pk=map_id)
    sides, problem = _sides(request)
    if request.method == "POST":
        formset = ValueMapEntryFormSet(request.POST, prefix="entries")
        if formset.is_valid():
            replace_entries(value_map, formset.entries())
            report(request, _("Saved the entries of value map “%(map)s”.") % {"map": value_map})
            return redirect(back_to(request) or request.get_full_path())
    else:
        formset = ValueMapEntryFormSet(prefix="entries", initial=_initial(value_map, sides["source"]))
    return render(
        request,
        "admin/syncjobs/console/value_map.html",
        _("Entries of value map “%(map)s”") % {"map": value_map},
        value_map=value_map,
        formset=formset,
        rows=_labelled_rows(formset, sides),
        source_options=sides["source"],
        target_options=sides["target"],
        source_path=request.GET.get("source", ""),
        target_path=request.GET.get("target", ""),
        picker_problem=problem,
        back=back_to(request),
        description=description_text(value_map.description),
        concerned=len(records_concerning(value_map)) if request.user.has_perm(RERUN_RECORDS) else 0,
    )


@require_POST
def rerun_concerned(request, map_id):
    """Queue the open records whose failure names this value map's entries, with the entries as now."""
    require(request, RERUN_RECORDS)
    value_map = get_object_or_404(ValueMap, pk=map_id)
    runs = sync.rerun_records([record.pk for record in records_concerning(value_map)], user=request.user)
    queued = sum(len(run.options.get("ids") or []) for run in runs)
    if queued:
        report(
            request,
            ngettext(
                "Re-run of %(count)d record this fix concerns queued.",
                "Re-run of %(count)d records this fix concerns queued.",
                queued,
            )
            % {"count": queued},
        )
    else:
        report(request, _("No open record names this value map any more; nothing was re-run."), ok=False)
    back = back_to(request)
    return redirect(back) if back else redirect("console:value_map_entries", map_id=map_id)


def back_to(request):
    """The page to return to after saving (``?next=``), when it is one of this site's."""
    target = request.POST.get("next") or request.GET.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return ""


def _labelled_rows(formset, sides):
    """``[(form, source label, target label)]``: what each code means on its side, when known."""
    source = {option["value"]: option["label"] for option in sides["source"]}
    target = {option["value"]: option["label"] for option in sides["target"]}
    return [
        (form, source.get(form["source_value"].value() or ""), target.get(form["target_value"].value() or ""))
        for form in formset.forms
    ]


def _initial(value_map, source_options):
    entries = [
        {"source_value": e.source_value, "target_value": e.target_value, "note": e.note}
        for e in value_map.entries.order_by("source_value")
    ]
    known = {entry["source_value"] for entry in entries}
    missing = [
        {"source_value": option["value"], "target_value": "", "note": ""}
        for option in source_options
        if option["value"] not in known
    ]
    return entries + missing


def _sides(request):
    """The options of the source and the target field, and a message if a system could not say."""
    found = {"source": [], "target": []}
    flow_id = request.GET.get("flow", "")
    if not flow_id.isdigit():
        return found, ""
    flow = get_object_or_404(
        SyncFlow.objects.select_related("source_connector", "target_connector"), pk=flow_id
    )
    try:
        found["source"] = _options(flow.source_connector, flow.source_object, request.GET.get("source", ""))
        found["target"] = _options(flow.target_connector, flow.target_object, request.GET.get("target", ""))
    except pickers.PickerUnavailable as exc:
        return found, str(exc)
    return found, ""


def _options(connector, obj, path):
    if not path:
        return []
    field = next((f for f in pickers.field_choices(connector, obj) if f["path"] == path), None)
    if field is None:
        return []
    if field["options"]:
        return field["options"]
    return pickers.reference_options(connector, field["ref"]) if field["ref"] else []
