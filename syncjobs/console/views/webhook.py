"""The webhook endpoint: the only view exempt from CSRF, since its deliveries are signed instead."""

from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from syncjobs.operations import webhooks


@csrf_exempt
@require_POST
def receive(request):
    """Accept a signed event (202), a replay (200, nothing done), or refuse it (401, 400, 503)."""
    try:
        accepted = webhooks.accept(
            request.body,
            request.headers.get(webhooks.TIMESTAMP_HEADER),
            request.headers.get(webhooks.SIGNATURE_HEADER),
        )
    except webhooks.WebhookRefused as refused:
        return JsonResponse({"error": refused.message}, status=refused.status)
    if accepted.duplicate:
        return JsonResponse({"event_id": accepted.event_id, "status": "duplicate"}, status=200)
    return JsonResponse(
        {"event_id": accepted.event_id, "status": "accepted", "runs": accepted.runs}, status=202
    )
