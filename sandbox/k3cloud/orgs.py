"""SwitchOrg: move the session to another organisation, for the calls that follow.

Known: the service is ``DynamicFormService.SwitchOrg`` and takes only ``{"data": ...}`` (the
official Python SDK 8.2.0, ``k3cloud_webapi_sdk/main.py`` ``SwitchOrg``; C#, PHP and
TypeScript clients name the same path). What ``data`` holds varies between public clients:
``{"OrgNumber": "886"}`` (a Node client's test of its SwitchOrg call), or a ``Model`` whose
organisation field is ``{"FNumber": 102}`` (the SDK's ``sample.py``, ``Demo_For_SwitchOrg``).
Both are read here; ``OrgId`` (the organisation's id) is accepted too [inferred].

The success reply names the organisation in ``SuccessEntitys`` ``[{"Id", "Number", "DIndex"}]``
— single source: the same Node client's test stub, not a captured reply. An unknown number is
refused with MsgCode 10 [inferred]. The switch lasts for the session: a new login starts in the
user's default organisation again [inferred].
"""

from sandbox.k3cloud.models import Record, Session
from sandbox.k3cloud.protocol import as_int, ci_get
from sandbox.k3cloud.replies import MSG_BAD_PARAMETER, MSG_NOT_FOUND, Reply, Status, entity, failure, result

ORGS = "ORG_Organizations"


def switch_org(op, data):
    """DynamicFormService.SwitchOrg ``{"OrgNumber": "101"}`` (or ``OrgId``, or a Model's ``FNumber``)."""
    number, org_id = _named_org(data)
    if not number and not org_id:
        return Reply(failure("请传入要切换到的组织：OrgNumber 不能为空", MSG_BAD_PARAMETER), "bad_request")
    orgs = Record.objects.filter(tenant_id=op.tenant_id, form=ORGS)
    org = orgs.filter(id=org_id).first() if org_id else orgs.filter(number=number).first()
    if org is None:
        text = op.messages.ORG_NOT_FOUND.format(org=number or org_id)
        return Reply(failure(text, MSG_NOT_FOUND), "rejected")
    if op.session is not None:
        Session.objects.filter(pk=op.session.pk).update(org_id=org.id)
    status = Status()
    status.successes.append(entity(org.id, org.number, 0))
    return Reply(result(status), rows=1)


def _named_org(data):
    """(number, id) of the organisation ``data`` names, either being "" / 0 when not given."""
    number = str(ci_get(data, "OrgNumber") or "").strip()
    org_id = as_int(ci_get(data, "OrgId"))
    model = ci_get(data, "Model")
    if not number and not org_id and isinstance(model, dict):
        for value in model.values():
            if isinstance(value, dict) and ci_get(value, "FNumber") not in (None, ""):
                return str(ci_get(value, "FNumber")).strip(), 0
    return number, org_id
