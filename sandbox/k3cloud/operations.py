"""ExcuteOperation (sic): Forbid/Enable base data, Cancel documents, close and reopen orders."""

from sandbox.k3cloud import messages, workflow
from sandbox.k3cloud.replies import MSG_BAD_PARAMETER, Reply, failure
from sandbox.k3cloud.workflow import EDITABLE, Refused


def _stamp_modified(op, doc):
    # Forbidding or enabling changes what the record means to every user of it, so the ERP
    # treats it as a modification [inferred]; audit, by contrast, leaves FModifyDate alone.
    doc["FModifyDate"], doc["FModifierId"] = op.now_text, op.user_id


def _forbid(op, form, record, doc):
    doc["FForbidStatus"] = "B"
    doc["FForbidderId"], doc["FForbidDate"] = op.user_id, op.now_text
    _stamp_modified(op, doc)
    workflow.write_doc(form, record, doc)


def _enable(op, form, record, doc):
    doc["FForbidStatus"] = "A"
    doc["FForbidderId"] = doc["FForbidDate"] = None
    _stamp_modified(op, doc)
    workflow.write_doc(form, record, doc)


def _cancel(op, form, record, doc):
    if doc["FDocumentStatus"] not in EDITABLE:
        raise Refused((None, messages.cancel_refused(form, record.number)))
    doc["FCancelStatus"] = "B"
    doc["FCancellerId"], doc["FCancelDate"] = op.user_id, op.now_text
    workflow.write_doc(form, record, doc)


def _close(status):
    def action(op, form, record, doc):
        if doc["FDocumentStatus"] != "C":
            raise Refused((None, messages.close_refused(form, record.number)))
        doc["FCloseStatus"] = status
        workflow.write_doc(form, record, doc)

    return action


# opNumber (any case) -> (action, which forms it applies to)
OPERATIONS = {
    "forbid": (_forbid, lambda form: form.kind == "base"),
    "enable": (_enable, lambda form: form.kind == "base"),
    "cancel": (_cancel, lambda form: form.kind == "bill"),
    "billclose": (_close("B"), lambda form: form.field("FCloseStatus") is not None),
    "billunclose": (_close("A"), lambda form: form.field("FCloseStatus") is not None),
}


def execute(op, form, op_number, data):
    """DynamicFormService.ExcuteOperation with ``opNumber``."""
    found = OPERATIONS.get(str(op_number or "").strip().lower())
    if found is None or not found[1](form):
        text = messages.UNKNOWN_OPERATION.format(operation=op_number, caption=form.caption)
        return Reply(failure(text, MSG_BAD_PARAMETER), "bad_request")
    return workflow.each(op, form, data, found[0])
