"""A mapping version: its differences from another version, the records it wrote, roll back to it."""

from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from syncjobs.admin.base import BoundedCountPaginator
from syncjobs.console.views.base import (
    CHANGE_FLOWS,
    RUN_FLOWS,
    VIEW_RECORDS,
    VIEW_VERSIONS,
    render,
    report,
    require,
)
from syncjobs.models import MappingVersion, RecordAction, RecordStatus
from syncjobs.queries.versions import compare_rows, outcome_counts, previous_version, written_records
from syncjobs.services import resync
from syncjobs.services.mapping_editor import roll_back_to

PER_PAGE = 50


def _version(version_id):
    return get_object_or_404(MappingVersion.objects.select_related("flow", "created_by"), pk=version_id)


def version_detail(request, version_id):
    """``?against=<version id>`` picks the version compared with (default: the one before)."""
    require(request, VIEW_VERSIONS)
    version = _version(version_id)
    others = list(
        MappingVersion.objects.filter(flow_id=version.flow_id).exclude(pk=version.pk).order_by("-number")
    )
    against = _against(request, version, others)
    records = None
    if request.user.has_perm(VIEW_RECORDS):
        records = _page(request, written_records(version).only(*_RECORD_FIELDS))
    latest = max([version.number, *[o.number for o in others]])
    return render(
        request,
        "admin/syncjobs/console/version.html",
        str(version),
        version=version,
        others=others,
        against=against,
        changes=_changes(against, version),
        counts=_labelled(outcome_counts(version)),
        records=records,
        is_latest=version.number == latest,
        can_roll_back=request.user.has_perm(CHANGE_FLOWS),
        # The offer of the editor's save, for whoever declined it then.
        can_resync=version.number == latest
        and request.user.has_perms([CHANGE_FLOWS, RUN_FLOWS])
        and resync.worth_offering(version),
    )


_RECORD_FIELDS = (
    "id",
    "run_id",
    "source_id",
    "source_number",
    "target_id",
    "target_number",
    "action",
    "created_at",
)


def _page(request, records):
    number = request.GET.get("p", "1")
    hint = int(number) if number.isdigit() else 1
    return BoundedCountPaginator(records, PER_PAGE, page_hint=hint).get_page(number)


def _labelled(counts):
    return [
        (RecordStatus(status).label, RecordAction(action).label if action else "–", count)
        for (status, action), count in sorted(counts.items())
    ]


def _against(request, version, others):
    wanted = request.GET.get("against", "")
    chosen = next((o for o in others if str(o.pk) == wanted), None)
    return chosen or previous_version(version)


def _changes(against, version):
    if against is None:
        return compare_rows([], version.rows)
    # Read as "from the older to the newer", whichever was picked first.
    older, newer = (against, version) if against.number < version.number else (version, against)
    return compare_rows(older.rows, newer.rows)


@require_POST
def roll_back(request, version_id):
    """Make the flow map as this version did again, stored as a new version."""
    require(request, CHANGE_FLOWS)
    version = _version(version_id)
    new, created = roll_back_to(version, user=request.user)
    if created:
        report(
            request,
            _("Rolled back: version %(new)s now maps as version %(old)s did.")
            % {"new": new.number, "old": version.number},
        )
    else:
        report(
            request,
            _("The mapping already equals version %(old)s; nothing changed.") % {"old": version.number},
        )
    return redirect(reverse("console:mapping_version", args=[new.pk]))
