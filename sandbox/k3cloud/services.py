"""The Web API services the simulated ERP answers, and how each one is called."""

from dataclasses import dataclass

from sandbox.k3cloud import (
    allocate,
    async_results,
    business_info,
    operations,
    orgs,
    push,
    query,
    saving,
    viewing,
    workflow,
)

PREFIX = "kingdee.bos.webapi.servicesstub."


@dataclass(frozen=True)
class Service:
    """One service: its operation name (for the call log), arguments in positional order,
    what it needs and its handler.

    Kinds: ``login``, ``logout``; ``form`` (formid + data), ``operation`` (formid, opNumber,
    data); ``query`` (data only, failures wrapped ``[[...]]``); ``data`` (data only, the usual
    reply shape); ``async`` (QueryAsyncResult's ``queryInfo``).
    """

    operation: str
    arguments: tuple
    kind: str
    handler: object = None
    writes: bool = False
    via: str = ""


def _form(operation, handler, writes=True):
    return Service(operation, ("formid", "data"), "form", handler, writes)


SERVICES = {
    "authservice.validateuser": Service(
        "ValidateUser", ("acctid", "username", "password", "lcid"), "login", via="password"
    ),
    "authservice.validateuser2": Service(
        "ValidateUser2", ("acctid", "username", "password", "lcid", "iskickoff"), "login", via="password"
    ),
    "authservice.loginbyappsecret": Service(
        "LoginByAppSecret", ("acctid", "username", "appid", "appsecret", "lcid"), "login", via="app_secret"
    ),
    "authservice.loginbysign": Service(
        "LoginBySign", ("acctid", "username", "appid", "timestamp", "sign", "lcid"), "login", via="sign"
    ),
    "authservice.logout": Service("Logout", (), "logout"),
    "dynamicformservice.save": _form("Save", saving.save),
    "dynamicformservice.batchsave": _form("BatchSave", saving.batch_save),
    "dynamicformservice.draft": _form("Draft", saving.draft),
    "dynamicformservice.submit": _form("Submit", workflow.submit),
    "dynamicformservice.audit": _form("Audit", workflow.audit),
    "dynamicformservice.unaudit": _form("UnAudit", workflow.unaudit),
    "dynamicformservice.cancelassign": _form("CancelAssign", workflow.cancel_assign),
    "dynamicformservice.delete": _form("Delete", workflow.delete),
    "dynamicformservice.view": _form("View", viewing.view, writes=False),
    "dynamicformservice.allocate": _form("Allocate", allocate.allocate),
    "dynamicformservice.cancelallocate": _form("CancelAllocate", allocate.cancel_allocate),
    "dynamicformservice.switchorg": Service("SwitchOrg", ("data",), "data", orgs.switch_org, writes=True),
    "dynamicformservice.querybusinessinfo": Service(
        "QueryBusinessInfo", ("data",), "data", business_info.query_business_info
    ),
    "dynamicformservice.queryasyncresult": Service(
        "QueryAsyncResult", ("queryinfo",), "async", async_results.query_async_result
    ),
    "dynamicformservice.push": _form("Push", push.push),
    "dynamicformservice.excuteoperation": Service(
        "ExcuteOperation", ("formid", "opnumber", "data"), "operation", operations.execute, writes=True
    ),
    "dynamicformservice.executebillquery": Service(
        "ExecuteBillQuery", ("data",), "query", query.execute_bill_query
    ),
    "dynamicformservice.billquery": Service("BillQuery", ("data",), "query", query.bill_query),
}


def find(name):
    """The Service at path ``<name>.common.kdsvc`` (any case), or None."""
    lowered = name.lower()
    return SERVICES.get(lowered[len(PREFIX) :]) if lowered.startswith(PREFIX) else None
