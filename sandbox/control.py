"""The sandbox control API: seeding, fault switches, the clock and the call log over HTTP.

Tests and benchmarks drive a sandbox server running in another process through these
endpoints. Mounted only while the sandbox is enabled, which production never is.
"""

import json

from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from sandbox import services, tenant_fields


def _body(request):
    try:
        return json.loads(request.body or b"{}")
    except ValueError:
        return None


def _bad_request(message):
    return JsonResponse({"error": message}, status=400)


def _optional_int(value):
    return None if value is None else int(value)


@csrf_exempt
@require_POST
def seed(request):
    body = _body(request)
    if body is None:
        return _bad_request("body must be JSON")
    result = services.seed(
        size=int(body.get("size", 50)),
        seed=int(body.get("seed", 42)),
        systems=body.get("systems"),
        flaws=body.get("flaws") is True,
        orders=_optional_int(body.get("orders")),
        lines=_optional_int(body.get("lines")),
    )
    return JsonResponse(result)


@csrf_exempt
@require_POST
def faults(request, system):
    body = _body(request)
    if body is None:
        return _bad_request("body must be JSON")
    options = {k: body.pop(k) for k in ("seed", "reset", "expire_sessions") if k in body}
    try:
        current = services.set_faults(system, body, **options)
    except (LookupError, ValueError) as error:
        return _bad_request(str(error))
    return JsonResponse(current)


@csrf_exempt
@require_POST
def clock(request, system):
    body = _body(request) or {}
    try:
        offset = services.advance_clock(system, float(body.get("advance", 0)))
    except LookupError as error:
        return _bad_request(str(error))
    return JsonResponse({"offset_seconds": offset})


@require_GET
def calls(request):
    return JsonResponse(
        {
            "calls": services.calls(
                system=request.GET.get("system"),
                tenant=request.GET.get("tenant"),
                after_id=int(request.GET.get("after_id", 0)),
            )
        }
    )


@csrf_exempt
@require_POST
def simulate(request, system):
    body = _body(request) or {}
    try:
        return JsonResponse(services.simulate(system, **body))
    except LookupError as error:
        return _bad_request(str(error))


@csrf_exempt
@require_POST
def reset(request):
    services.reset()
    tenant_fields.reset()
    return JsonResponse({"reset": True})


@csrf_exempt
@require_POST
def fields(request, system):
    """Add, retype or remove a tenant's own field: ``{"object", "field", "type", "label", "entity"}``,
    ``{"object", "field", "remove": true}``, or ``{"reset": true}`` (see ``sandbox.tenant_fields``)."""
    body = _body(request)
    if body is None or system not in ("k3cloud", "fxiaoke"):
        return _bad_request("body must be JSON and the system k3cloud or fxiaoke")
    try:
        if body.get("reset"):
            tenant_fields.reset()
        elif body.get("remove"):
            tenant_fields.remove_field(system, body["object"], body["field"])
        else:
            tenant_fields.set_field(
                system,
                body["object"],
                body["field"],
                body.get("type", "text"),
                body.get("label", ""),
                body.get("entity"),
            )
    except (KeyError, LookupError) as error:
        return _bad_request(str(error))
    return JsonResponse({"ok": True})
