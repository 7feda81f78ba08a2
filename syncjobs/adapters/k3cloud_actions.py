"""Post-actions on written K3Cloud records: Submit, Audit, UnAudit, Allocate and operations.

The ERP runs such an operation on each named record on its own: some may pass while others
are refused, each refusal carrying the record's position in the request (DIndex). The
client raises one error for a reply with refusals; here it is split back per record.
"""

from django.utils.translation import gettext as _

from connectors.errors import ConnectorError, PermanentError
from connectors.k3cloud.errors import ROW_LEVEL_CODES
from syncjobs.adapters.k3cloud_read import SYSTEM
from syncjobs.adapters.k3cloud_write import record_id

STATUS_ACTIONS = {"submit": "submit", "audit": "audit", "unaudit": "unaudit"}
# Operations run through ExcuteOperation, by the action name a flow uses.
OPERATIONS = {"forbid": "Forbid", "enable": "Enable", "cancel": "Cancel", "close": "BillClose"}


def run(client, form, action, refs, org_ids):
    """``{ref id: error or None}`` for ``action`` on ``refs``; ``org_ids(numbers)`` resolves orgs."""
    name = str(action.get("action", "")).lower()
    ids = [record_id(ref.id) for ref in refs]
    try:
        if name in STATUS_ACTIONS:
            getattr(client, STATUS_ACTIONS[name])(form.form_id, ids=ids)
        elif name == "allocate":
            targets = org_ids(action.get("organisations") or [])
            auto_audit = bool(action.get("auto_submit_and_audit", False))
            client.allocate(form.form_id, ids, targets, auto_submit_and_audit=auto_audit)
        elif name in OPERATIONS:
            client.execute_operation(form.form_id, OPERATIONS[name], ids=ids)
        else:
            raise unknown_action(name)
    except ConnectorError as error:
        return split(error, refs)
    return {ref.id: None for ref in refs}


def unknown_action(name):
    known = ", ".join([*STATUS_ACTIONS, "allocate", *OPERATIONS])
    return PermanentError(
        _("“%(action)s” is not a K3Cloud post-action; use one of: %(known)s.")
        % {"action": name, "known": known},
        system=SYSTEM,
    )


def split(error, refs):
    """The refusals of ``error`` per record (by DIndex); a call-level error hits every record."""
    by_index = _messages_by_index(error, len(refs))
    if by_index is None:
        return {ref.id: error for ref in refs}
    return {ref.id: _row_error(error, by_index.get(i), ref) for i, ref in enumerate(refs)}


def _messages_by_index(error, count):
    if error.code not in ROW_LEVEL_CODES:
        return None
    details = [d for d in error.details if isinstance(d, dict)]
    indexes = [d.get("dindex") for d in details]
    if not details or any(i is None or not 0 <= i < count for i in indexes):
        return None
    found = {}
    for detail in details:
        found.setdefault(detail["dindex"], []).append(detail)
    return found


def _row_error(error, details, ref):
    if not details:
        return None
    message = "; ".join(dict.fromkeys(d.get("message") or "" for d in details)) or error.message
    field = next((d.get("field") for d in details if d.get("field")), None)
    return type(error)(message, system=error.system, code=error.code, field=field, details=details)


def org_lookup_failed(missing):
    return PermanentError(
        _(
            "K3Cloud has no organisation numbered %(numbers)s; check the numbers in the flow's “allocate” "
            "post-action."
        )
        % {"numbers": ", ".join(missing)},
        system=SYSTEM,
        field="organisations",
    )
