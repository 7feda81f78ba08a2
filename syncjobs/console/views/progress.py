"""The JSON the self-refreshing pages poll: progress of runs and of flows' current runs."""

from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from syncjobs.operations import control
from syncjobs.operations.progress import flows_progress, runs_progress

# A page never asks for more than one changelist page of ids.
MAX_IDS = 200


@require_GET
@never_cache
def progress(request):
    """``{"runs": {id: progress}, "flows": {id: progress}, "paused": [flow ids]}``.

    ``?runs=1,2`` and ``?flows=3,4`` name what to report on. Needs the view permission on runs.
    """
    if not request.user.has_perm("syncjobs.view_syncrun"):
        raise PermissionDenied
    run_ids, flow_ids = _ids(request, "runs"), _ids(request, "flows")
    return JsonResponse(
        {
            "runs": runs_progress(run_ids),
            "flows": flows_progress(flow_ids),
            "paused": sorted(control.paused_flow_ids(flow_ids)) if flow_ids else [],
        }
    )


def _ids(request, name):
    values = request.GET.get(name, "").split(",")
    return [int(value) for value in values if value.strip().isdigit()][:MAX_IDS]
