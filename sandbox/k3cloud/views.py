"""The HTTP face of the simulated ERP: ``<Service>.common.kdsvc`` endpoints.

Every call runs inside ``sandbox.faults.CallContext``: injected latency, HTTP 500s,
timeouts and resets happen before any work; the ERP's own MsgCode 13 (lock conflict) and
14 (call limit) answers and ``response_error:`` bodies are this system's extra switches;
"drop after commit" resets the socket only after the work's transaction committed.
"""

import json
import logging

from django.db import transaction
from django.http import HttpResponse, HttpResponseNotAllowed, HttpResponseNotFound
from django.views.decorators.csrf import csrf_exempt

from sandbox import clock
from sandbox.faults import CallContext
from sandbox.k3cloud import async_results, auth, messages, services, wording
from sandbox.k3cloud.context import SYSTEM, Op
from sandbox.k3cloud.metadata import get_form
from sandbox.k3cloud.protocol import BodyError, read_arguments
from sandbox.k3cloud.replies import (
    MSG_BAD_PARAMETER,
    MSG_CALL_LIMIT,
    MSG_EXCEPTION,
    MSG_FORM_EMPTY,
    MSG_LOCK_CONFLICT,
    MSG_SESSION_LOST,
    Reply,
    failure,
)
from sandbox.k3cloud.values import cut_to_millis
from sandbox.routers import SANDBOX_DB

logger = logging.getLogger(__name__)
RESPONSE_ERROR = "response_error:远程服务器返回错误: (500) 内部服务器错误。"


@csrf_exempt
def service(request, name):
    """Answer one Web API call the way K3Cloud does (business errors are HTTP 200)."""
    spec = services.find(name)
    if spec is None:
        return HttpResponseNotFound("The resource cannot be found.", content_type="text/plain")
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    call = CallContext(request, SYSTEM, spec.operation)
    early = call.before()
    if early is not None:
        return early
    try:
        arguments = read_arguments(request, spec.arguments + ("beginmethod",))
    except BodyError as error:
        text = messages.BAD_BODY.format(detail=error)
        return _answer(call, spec, Reply(_wrap(spec, failure(text, MSG_BAD_PARAMETER)), "bad_request"), {})
    now = cut_to_millis(clock.now(SYSTEM, call.switches))
    reply = _handle(request, call, spec, arguments, now)
    return _answer(call, spec, reply, arguments)


def _handle(request, call, spec, arguments, now):
    if spec.kind == "login":
        call.tenant = str(arguments.get("acctid") or "")[:64]
        words = wording.for_lcid(arguments.get("lcid"))
        return _injected(call, spec, arguments, words) or _login(spec, arguments, now)
    if spec.kind == "logout":
        return Reply(auth.logout(request))
    identity = auth.authenticate(request, now, call.switches, call.plan.faults)
    call.tenant = identity.tenant.acct_id if identity.tenant else ""
    words = wording.for_lcid(identity.lcid)
    if identity.lost:
        # In the lost session's language: an English server says "Session information is lost…".
        lost = _wrap(spec, failure(words.SESSION_LOST, MSG_SESSION_LOST))
        return Reply(lost, "session_lost", cookies=identity.cookies)
    reply = _injected(call, spec, arguments, words) or _business(call, spec, arguments, identity, now)
    reply.cookies.update(identity.cookies)
    return reply


def _login(spec, arguments, now):
    payload, cookies = auth.login(arguments, spec.via, now)
    return Reply(payload, "ok" if cookies else "login_failed", cookies=cookies)


def _injected(call, spec, arguments, words):
    """The ERP's own refusals drawn from this system's fault switches, before any work."""
    extra = call.plan.extra
    if extra.get("response_error_rate"):
        return Reply(RESPONSE_ERROR, "response_error")
    if extra.get("msgcode14_rate"):
        return Reply(_wrap(spec, failure(words.CALL_LIMIT, MSG_CALL_LIMIT)), "msgcode14")
    if extra.get("msgcode13_rate"):
        form = get_form(arguments.get("formid") or _form_id_of(arguments.get("data")))
        text = words.LOCK_CONFLICT.format(caption=form.caption if form else "单据", operation=spec.operation)
        return Reply(_wrap(spec, failure(text, MSG_LOCK_CONFLICT)), "msgcode13")
    return None


def _form_id_of(data):
    return data.get("FormId") if isinstance(data, dict) else None


def _business(call, spec, arguments, identity, now):
    op = Op(
        identity.tenant,
        identity.org_id,
        identity.lcid,
        now,
        call.switches,
        call.plan.faults,
        session=identity.session,
        drew=call.plan.extra,
    )
    try:
        if spec.writes:
            with transaction.atomic(using=SANDBOX_DB):
                return _run(op, spec, arguments)
        return _run(op, spec, arguments)
    except Exception as error:  # the real server answers its own exceptions with MsgCode 4
        logger.exception("k3cloud sandbox: %s failed", spec.operation)
        return Reply(_wrap(spec, failure(f"{type(error).__name__}: {error}", MSG_EXCEPTION)), "exception")


def _run(op, spec, arguments):
    data = arguments.get("data") or {}
    if spec.kind in ("query", "data"):
        return spec.handler(op, data)
    if spec.kind == "async":
        return spec.handler(op, arguments.get("queryinfo"))
    form_id = str(arguments.get("formid") or "").strip()
    if not form_id:
        return Reply(failure("表单Id（formid）不能为空", MSG_FORM_EMPTY), "bad_request")
    form = get_form(form_id)
    if form is None:
        return Reply(failure(op.messages.FORM_NOT_FOUND, MSG_EXCEPTION), "bad_request")
    if spec.kind == "operation":
        return spec.handler(op, form, arguments.get("opnumber"), data)
    return spec.handler(op, form, data)


def _wrap(spec, payload):
    """Query services answer failures as [[{"Result": ...}]]."""
    return [[payload]] if spec.kind == "query" else payload


def _answer(call, spec, reply, arguments):
    payload = reply.payload
    if arguments.get("beginmethod") and spec.kind not in ("login", "async"):
        # The SDK's asynchronous mode: the work is done; the answer may say "not yet" (Status 0).
        running = call.plan.extra.get(async_results.RUNNING_SWITCH) and reply.outcome != "session_lost"
        payload = async_results.begin(call.tenant, payload, running)
    if isinstance(payload, str):
        response = HttpResponse(payload, content_type="text/plain; charset=utf-8")
    else:
        body = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
        response = HttpResponse(body, content_type="application/json; charset=utf-8")
    for name, value in reply.cookies.items():
        # No expiry attribute: the SDK splits Set-Cookie on commas, which dates contain.
        response.set_cookie(name, value, path="/", httponly=name == auth.ASPNET_COOKIE)
    return call.respond(response, reply.outcome, reply.rows)
