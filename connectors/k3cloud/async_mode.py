"""The asynchronous mode of BatchSave: begin the call, then poll QueryAsyncResult until done.

As the official SDKs do (Python SDK 8.2.0 ``core/webapi_client.py``, spec §1): the call's body
carries ``beginmethod``/``querymethod``; the answer is ``{"Status", "TaskId", "Result"}`` with
Status 0 pending, 1 running, 2 complete; ``DynamicFormService.QueryAsyncResult`` is polled
with ``{"queryInfo": "<JSON of {TaskId, Cancelled}>"}``. Polls wait by the client's retry
policy (its backoff and its injectable ``sleep``), and are bounded: a task still running
after ``max_polls`` polls raises ``OutcomeUnknownError``, since its write may yet be done.
"""

import json
from dataclasses import dataclass

from django.utils.translation import gettext as _

from connectors.errors import OutcomeUnknownError
from connectors.k3cloud.errors import SYSTEM, ErpFailureError, error_from_status
from connectors.k3cloud.results import find_status, get_key, is_async_answer

BEGIN = {"beginmethod": "BeginQueryImpl", "querymethod": "QueryAsyncResult"}
PENDING, RUNNING, COMPLETE = 0, 1, 2
SERVICE = "DynamicFormService.QueryAsyncResult"


@dataclass(frozen=True)
class TaskState:
    """One answer of the asynchronous mode: the task's status, id and (when complete) result."""

    status: int
    task_id: str
    result: object = None

    @property
    def done(self):
        return self.status == COMPLETE


def task_state(payload, operation):
    """The ``TaskState`` of an asynchronous answer; a plain refusal raises its typed error."""
    if is_async_answer(payload):
        try:
            status = int(get_key(payload, "Status"))
        except (TypeError, ValueError):
            status = PENDING
        return TaskState(status, str(get_key(payload, "TaskId")), get_key(payload, "Result"))
    status = find_status(payload)
    if status is not None and not status.is_success:
        raise error_from_status(status, operation)
    raise ErpFailureError(
        _("K3Cloud answered %(operation)s with a reply of unknown shape.") % {"operation": operation},
        system=SYSTEM,
    )


def poll(api, task_id):
    """Ask once how task ``task_id`` is doing; a ``TaskState``."""
    query_info = json.dumps({"TaskId": task_id, "Cancelled": False})
    payload = api.call(SERVICE, {"queryInfo": query_info}, "QueryAsyncResult", is_write=False)
    return task_state(payload, "QueryAsyncResult")


def wait(api, state, operation, form_id, max_polls):
    """Poll until ``state``'s task is complete; its result (the ordinary reply of the call)."""
    polls = 0
    while not state.done:
        if polls >= max_polls:
            raise still_running(operation, form_id, state.task_id, polls)
        polls += 1
        api.retry_policy.sleep(api.retry_policy.delay(polls))
        state = poll(api, state.task_id)
    return state.result


def still_running(operation, form_id, task_id, polls):
    return OutcomeUnknownError(
        _(
            "K3Cloud was still running %(operation)s of %(form)s after %(polls)s checks (task %(task)s); "
            "it may yet finish. Look the records up, or ask for the task's result again later."
        )
        % {"operation": operation, "form": form_id, "polls": polls, "task": task_id},
        system=SYSTEM,
        details=[{"operation": operation, "form": form_id, "task_id": task_id}],
    )
