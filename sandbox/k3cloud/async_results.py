"""The asynchronous mode (BatchSave and friends) and QueryAsyncResult, its polling service.

Known, from the official SDKs (Python ``kingdee.cdp.webapi.sdk`` 8.2.0:
``k3cloud_webapi_sdk/core/webapi_client.py`` ``ExecuteByQuery``/``QueryTaskResult`` and
``const/const_define.py`` ``QueryState``; Java SDK ``QueryRequestBodyObject``):

* a call in this mode carries ``"beginmethod": "BeginQueryImpl"`` and
  ``"querymethod": "QueryAsyncResult"`` in its body;
* it is answered ``{"Status": s, "TaskId": ..., "Result": ...}`` with ``Status`` 0 pending,
  1 running, 2 complete — ``Result`` is the ordinary reply once complete;
* until then the client polls ``DynamicFormService.QueryAsyncResult`` with
  ``{"queryInfo": "{\\"TaskId\\": ..., \\"Cancelled\\": false}"}`` (a JSON *string*), the SDK
  once a second, and reads the same three-field answer.

This simulator does the work at once, inside the call (so a client that never polls still
finds its records saved); only the answer pretends. With the ``async_running_rate`` switch
(a share of calls, drawn seeded by call number like every switch) the first answer is
Status 0 with no Result, and each poll drawn is answered Status 1 "still running" — so a
client's polling loop is exercised deterministically. A finished task is kept, so a poll
whose answer was lost may be repeated. What a real server answers for an unknown TaskId is
unknown; here it is a failure reply with MsgCode 8 [inferred]. ``Cancelled`` is ignored.

Tasks live in this process's memory (the sandbox server is one process), the newest
``KEEP`` of them.
"""

import json
import secrets
import threading
from collections import OrderedDict

from sandbox.k3cloud.protocol import BodyError, ci_get
from sandbox.k3cloud.replies import MSG_BAD_PARAMETER, Reply, failure

PENDING, RUNNING, COMPLETE = 0, 1, 2
RUNNING_SWITCH = "async_running_rate"
KEEP = 2000

_tasks = OrderedDict()  # task id -> (tenant acct id, the finished reply's payload)
_lock = threading.Lock()


def begin(tenant, payload, still_running):
    """The first answer to a call in asynchronous mode whose work is done (``payload``)."""
    task_id = secrets.token_hex(16)
    if not tenant or not still_running:
        return answer(COMPLETE, task_id, payload)
    with _lock:
        _tasks[task_id] = (tenant, payload)
        while len(_tasks) > KEEP:
            _tasks.popitem(last=False)
    return answer(PENDING, task_id, None)


def answer(status, task_id, payload):
    return {"Status": status, "TaskId": task_id, "Result": payload}


def query_async_result(op, query_info):
    """DynamicFormService.QueryAsyncResult ``{"queryInfo": "{\\"TaskId\\": ..., ...}"}``."""
    task_id = str(ci_get(_read(query_info), "TaskId") or "").strip()
    with _lock:
        task = _tasks.get(task_id)
    if task is None or task[0] != op.tenant.acct_id:
        return Reply(failure(op.messages.task_not_found(task_id), MSG_BAD_PARAMETER), "bad_request")
    if op.drew.get(RUNNING_SWITCH):
        return Reply(answer(RUNNING, task_id, None), "running")
    return Reply(answer(COMPLETE, task_id, task[1]))


def _read(query_info):
    if isinstance(query_info, dict):
        return query_info
    try:
        value = json.loads(query_info or "{}")
    except (TypeError, ValueError) as error:
        raise BodyError("queryInfo 必须是 JSON 字符串") from error
    return value if isinstance(value, dict) else {}
