"""How every endpoint of the simulated Open API runs.

Order of a call: the shared fault plan (latency, HTTP 500, timeouts, socket resets), the
platform's own injected errors (-1 busy, 50009 timeout), the JSON body, authentication
(token, corpId, currentOpenUserId), limits (quota, per-interface rate), the handler — then
the envelope, HTTP 200 even for errors, and the call log entry (tenant = corpId, operation =
the path). "Commit then drop the response" happens after the handler's work is committed.
"""

import json

from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt

from sandbox import clock
from sandbox.faults import CallContext
from sandbox.fxiaoke import auth, errors, ids, limits
from sandbox.fxiaoke.context import ApiCall
from sandbox.fxiaoke.errors import ApiError

SYSTEM = "fxiaoke"
MOUNT = "/fxiaoke"
OK = {"errorCode": 0, "errorMessage": "OK", "errorDescription": "success"}


def endpoint(auth_level, *, gateway_errors=False):
    """Make ``handler(call, **url_kwargs) -> payload dict`` an endpoint of the simulated API.

    ``auth_level``: None (the token endpoint authenticates itself), "corp" (corpAccessToken
    and corpId) or "user" (and currentOpenUserId, which sets data permissions).
    ``gateway_errors``: error answers carry the gateway's ``open-api-gateway-web/…`` traceId,
    as the live token endpoint's do.
    """

    def decorate(handler):
        @csrf_exempt
        def view(request, **kwargs):
            return serve(request, handler, auth_level, kwargs, gateway_errors)

        view.__name__ = handler.__name__
        view.__doc__ = handler.__doc__
        return view

    return decorate


def serve(request, handler, auth_level, kwargs, gateway_errors=False):
    context = CallContext(request, SYSTEM, _operation(request))
    early = context.before()
    if early is not None:
        return early
    call = ApiCall(
        operation=context.operation,
        body={},
        now=clock.now(SYSTEM, context.switches),
        faults=context.plan.faults,
        valid_after=context.switches.sessions_valid_after,
    )
    try:
        _platform_faults(context)
        call.body = _body(request)
        _authenticate(call, auth_level)
        payload = handler(call, **kwargs)
    except ApiError as error:
        context.tenant = call.tenant.corp_id if call.tenant else ""
        reply = _reply(call, error.envelope(), ids.gateway_trace_id() if gateway_errors else None)
        return context.respond(reply, f"error {error.code}", detail=error.message)
    context.tenant = call.tenant.corp_id if call.tenant else ""
    return context.respond(_reply(call, {**OK, **payload}), "ok", rows=call.rows, detail=call.detail)


def _operation(request):
    return request.path.split(MOUNT, 1)[-1]


def _platform_faults(context):
    if context.plan.extra.get("busy_rate"):
        raise errors.busy()
    if context.plan.extra.get("system_timeout_rate"):
        raise errors.system_timeout()


def _body(request):
    if not request.body.strip():
        raise ApiError(errors.EMPTY_POST, "POST请求体为空", "the POST body is empty")
    try:
        body = json.loads(request.body)
    except ValueError:
        body = None
    if not isinstance(body, dict):
        # [invented] message; the code is the documented "illegal parameter" family.
        raise ApiError(
            errors.MISSING_PARAMETER, "请求体必须是JSON对象", "the POST body must be a JSON object"
        )
    return body


def _authenticate(call, auth_level):
    if auth_level is None:
        return
    call.tenant = auth.tenant_for_token(call.body, call.now, call.valid_after)
    if auth_level == "user":
        call.user = auth.current_user(call.tenant, call.body)
    limits.admit(call)


def _reply(call, answer, trace_id=None):
    return JsonResponse(
        {**answer, "traceId": trace_id or _trace_id(call)}, json_dumps_params={"ensure_ascii": False}
    )


def _trace_id(call):
    if call.tenant is None:
        return ids.unknown_caller_trace_id()
    return ids.trace_id(call.tenant.tenant_id, call.user.user_id if call.user else "0")
