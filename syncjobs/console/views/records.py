"""Records that need attention: a flow's failures, one record's timeline, and what to do about them."""

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from syncjobs.admin.base import BoundedCountPaginator
from syncjobs.console.fixes import value_map_fixes
from syncjobs.console.forms import ErrorClassForm, MarkForm, SelectedRecordsForm
from syncjobs.console.payload import PayloadForm
from syncjobs.console.views.base import (
    CHANGE_VALUE_MAPS,
    REPLAY_RECORDS,
    RERUN_RECORDS,
    RESOLVE_RECORDS,
    VIEW_RECORDS,
    first_error,
    render,
    report,
    require,
)
from syncjobs.models import RecordStatus, SyncFlow, SyncRecord
from syncjobs.queries import pickers
from syncjobs.queries.failures import OPEN_STATUSES, error_classes, open_counts, open_records
from syncjobs.queries.timeline import record_timeline
from syncjobs.services import records as record_service
from syncjobs.services import sync
from syncjobs.services.replay import REPLAYABLE, replay_record, starting_payload

PER_PAGE = 50


def _record(record_id):
    return get_object_or_404(SyncRecord.objects.select_related("flow", "mapping_version"), pk=record_id)


def _timeline_url(record):
    return reverse("console:record_timeline", args=[record.pk])


def _abilities(request):
    user = request.user
    return {
        "can_rerun": user.has_perm(RERUN_RECORDS),
        "can_resolve": user.has_perm(RESOLVE_RECORDS),
        "can_replay": user.has_perm(REPLAY_RECORDS),
    }


def timeline(request, record_id):
    """Every attempt at this record's source record in its flow, explained."""
    require(request, VIEW_RECORDS)
    record = _record(record_id)
    story = record_timeline(record.flow, record.source_id)
    latest = story.latest
    return render(
        request,
        "admin/syncjobs/console/timeline.html",
        _("Timeline of %(record)s") % {"record": record.source_number or record.source_id},
        record=record,
        timeline=story,
        latest=latest,
        latest_open=latest is not None and latest.status in OPEN_STATUSES,
        mark_form=MarkForm(),
        value_map_fixes=value_map_fixes(record.flow, [attempt.record for attempt in story.attempts]),
        can_change_value_maps=request.user.has_perm(CHANGE_VALUE_MAPS),
        **_abilities(request),
    )


@require_POST
def rerun_record(request, record_id):
    """Queue a run for this record's source record (its latest attempt must be open)."""
    require(request, RERUN_RECORDS)
    record = _record(record_id)
    runs = sync.rerun_records([record.pk], user=request.user)
    if runs:
        report(request, _("Re-run queued as run %(run)s.") % {"run": runs[0].pk})
    else:
        report(request, _("This attempt is not open any more; nothing was re-run."), ok=False)
    return redirect(_timeline_url(record))


@require_POST
def mark_record(request, record_id):
    """Mark this record resolved or ignored, with the reason given."""
    require(request, RESOLVE_RECORDS)
    record = _record(record_id)
    form = MarkForm(request.POST)
    if not form.is_valid():
        report(request, first_error(form), ok=False)
        return redirect(_timeline_url(record))
    marked = record_service.mark_records(
        [record], form.cleaned_data["status"], form.cleaned_data["reason"], request.user
    )
    if marked:
        report(
            request, _("Record marked %(status)s.") % {"status": _status_word(form.cleaned_data["status"])}
        )
    else:
        report(request, _("This attempt is not open any more; nothing was marked."), ok=False)
    return redirect(_timeline_url(record))


def _status_word(status):
    return dict(MarkForm.base_fields["status"].choices)[status]


def replay(request, record_id):
    """Edit this record's payload field by field, then queue it to be written as edited."""
    require(request, REPLAY_RECORDS)
    record = _record(record_id)
    if record.status not in REPLAYABLE:
        report(request, _("Only failed, dead or waiting records can be replayed."), ok=False)
        return redirect(_timeline_url(record))
    form = PayloadForm(starting_payload(record), request.POST or None)
    form.offer_paths("rc-target-fields")
    if request.method == "POST" and form.is_valid():
        try:
            intervention = replay_record(record, form.edited, request.user, form.cleaned_data["reason"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            report(request, _("Replay queued as run %(run)s.") % {"run": intervention.run_id})
            return redirect(_timeline_url(record))
    return render(
        request,
        "admin/syncjobs/console/replay.html",
        _("Edit and replay %(record)s") % {"record": record.source_number or record.source_id},
        record=record,
        form=form,
        target_fields=_target_fields(record.flow),
    )


def _target_fields(flow):
    """The target's field paths, offered while typing a new field (none if the system is unreachable)."""
    try:
        return pickers.field_choices(flow.target_connector, flow.target_object)
    except pickers.PickerUnavailable:
        return []


def failures(request, flow_id):
    """The flow's open records, grouped by error, with bulk re-runs and resolutions."""
    require(request, VIEW_RECORDS)
    flow = get_object_or_404(SyncFlow, pk=flow_id)
    status = request.GET.get("status") if request.GET.get("status") in OPEN_STATUSES else None
    code = request.GET.get("code")
    records = open_records(flow, code=code, field=request.GET.get("field", ""), status=status)
    number = request.GET.get("p", "1")
    paginator = BoundedCountPaginator(records, PER_PAGE, page_hint=int(number) if number.isdigit() else 1)
    page = paginator.get_page(number)
    return render(
        request,
        "admin/syncjobs/console/failures.html",
        _("Records of %(flow)s that need attention") % {"flow": flow},
        flow=flow,
        classes=error_classes(flow),
        counts=[(name, RecordStatus(name).label, count) for name, count in open_counts(flow).items()],
        page=page,
        status=status,
        code=code,
        field=request.GET.get("field", ""),
        mark_form=MarkForm(),
        **_abilities(request),
    )


def _failures_url(flow):
    return reverse("console:flow_failures", args=[flow.pk])


@require_POST
def rerun_all(request, flow_id):
    """Queue one run of the flow for all its open records."""
    require(request, RERUN_RECORDS)
    flow = get_object_or_404(SyncFlow, pk=flow_id)
    _report_rerun(request, record_service.rerun_failed(flow, user=request.user))
    return redirect(_failures_url(flow))


@require_POST
def rerun_class(request, flow_id):
    """Queue one run of the flow for its open records of one error class."""
    require(request, RERUN_RECORDS)
    flow = get_object_or_404(SyncFlow, pk=flow_id)
    form = ErrorClassForm(request.POST)
    form.is_valid()
    run = record_service.rerun_error_class(
        flow, form.cleaned_data.get("code", ""), form.cleaned_data.get("field", ""), user=request.user
    )
    _report_rerun(request, run)
    return redirect(_failures_url(flow))


def _report_rerun(request, run):
    if run is None:
        report(request, _("No open record matched; nothing was re-run."), ok=False)
        return
    count = len(run.options.get("ids") or run.options.get("also_ids") or [])  # a re-run may join a queued run
    report(
        request,
        ngettext(
            "Re-run of %(count)d record queued as run %(run)s.",
            "Re-run of %(count)d records queued as run %(run)s.",
            count,
        )
        % {"count": count, "run": run.pk},
    )


@require_POST
def mark_many(request, flow_id):
    """Mark the selected open records of the flow resolved or ignored."""
    require(request, RESOLVE_RECORDS)
    flow = get_object_or_404(SyncFlow, pk=flow_id)
    posted = [value for value in request.POST.getlist("records") if value.isdigit()]
    open_ids = list(open_records(flow).filter(pk__in=posted).values_list("pk", flat=True))
    form = SelectedRecordsForm(request.POST, record_ids=open_ids)
    if not form.is_valid():
        report(request, first_error(form) or _("Select at least one record."), ok=False)
        return redirect(_failures_url(flow))
    data = form.cleaned_data
    marked = record_service.mark_records(data["records"], data["status"], data["reason"], request.user)
    report(
        request,
        ngettext("%(count)d record marked %(status)s.", "%(count)d records marked %(status)s.", marked)
        % {"count": marked, "status": _status_word(data["status"])},
    )
    return redirect(_failures_url(flow))
