"""The document status machine and the operations that move records through it.

Z 暂存 (draft) · A 创建 (saved) · B 审核中 (submitted) · C 已审核 (audited) · D 重新审核
(unaudited). Save is allowed in Z/A/D; Submit A/D/Z → B (Z only when complete); Audit B →
C stamping FApproveDate but leaving FModifyDate alone; UnAudit C → D; Delete in Z/A/D.
Each operation acts on every record it is given on its own: some may succeed while
others are refused, each refusal carrying the record's index (DIndex).

A number that names no record is passed over without a word: the reply stays
``IsSuccess: true`` and ``SuccessEntitys`` lists only the records that were processed
(spec §9; single source, a note in a public client's code — so a client must compare
``SuccessEntitys`` with what it asked for). The DIndex of the processed ones stays their
position in the request [inferred]. An unknown *id* is still refused (MsgCode 10): what the
real server does there is unknown, and a refusal is the safer thing to simulate.
"""

import copy
import threading
from contextlib import contextmanager

from sandbox.k3cloud import links, store
from sandbox.k3cloud.models import Record
from sandbox.k3cloud.protocol import as_int, ci_get, id_list, text_list
from sandbox.k3cloud.replies import (
    MSG_BAD_PARAMETER,
    MSG_NOT_FOUND,
    Reply,
    Status,
    entity,
    failure,
    message,
    result,
)
from sandbox.k3cloud.writer import SaveOptions, Writer

EDITABLE = ("Z", "A", "D")
UPDATE_COLUMNS = ["document_status", "forbid_status", "approved_at", "modified_at", "data"]


class Refused(Exception):
    """An operation refused for one record; carries the ERP's message(s)."""

    def __init__(self, *problems):
        self.problems = problems  # (field key or None, message)
        super().__init__(problems[0][1])


def approve(op, doc):
    """Audit a document in memory: status C, approver and approval time (not FModifyDate)."""
    doc["FDocumentStatus"] = "C"
    doc["FApproveDate"], doc["FApproverId"] = op.now_text, op.user_id


# --- finding the records an operation names -------------------------------------------------


def targets(op, form, data):
    """[(index, key, record or None)] for the Ids (or else Numbers) of an operation's data."""
    ids = id_list(ci_get(data, "Ids"))
    if ids:
        found = {
            r.id: r for r in Record.objects.filter(tenant_id=op.tenant_id, form=form.form_id, id__in=ids)
        }
        return [(index, record_id, found.get(record_id)) for index, record_id in enumerate(ids)]
    numbers = text_list(ci_get(data, "Numbers"))
    org_id = as_int(ci_get(data, "UseOrgId"))
    candidates = store.find_by_numbers(op.tenant_id, form, numbers, masters_only=False)
    return [(index, number, _pick(candidates, number, org_id)) for index, number in enumerate(numbers)]


def _pick(candidates, number, org_id):
    """Of the records with ``number``, the one of organisation ``org_id``, else the master."""
    matches = [r for r in candidates if r.number == number]
    if org_id:
        matches = [r for r in matches if r.org_id == org_id] or []
    else:
        matches = [r for r in matches if r.master_id is None] or matches
    return matches[0] if matches else None


def each(op, form, data, action, success_message=None):
    """Run ``action(op, form, doc)`` on every named record; save those it changed."""
    named = targets(op, form, data)
    if not named:
        return Reply(failure(op.messages.NO_TARGETS, MSG_BAD_PARAMETER), "bad_request")
    if not id_list(ci_get(data, "Ids")):
        named = [target for target in named if target[2] is not None]  # unknown numbers: silence
    with _writes_at_the_end():
        status = _each(op, form, named, action, success_message)
    outcome = "ok" if status.ok else ("partial" if status.successes else "rejected")
    return Reply(result(status), outcome, len(status.successes))


def _each(op, form, named, action, success_message):
    status = Status()
    for index, key, record in named:
        if record is None:
            status.fail(op.messages.not_found(form, key), None, index, MSG_NOT_FOUND)
            continue
        doc = store.doc_from_record(form, record)
        record_id, number = record.id, record.number  # (a deleted record forgets its id)
        try:
            action(op, form, record, doc)
        except Refused as refusal:
            for field_key, text in refusal.problems:
                status.fail(text, field_key, index)
            continue
        status.successes.append(entity(record_id, number, index))
        if success_message:
            status.messages.append(message(success_message(form, number), None, index))
    return status


def write_doc(form, record, doc):
    """Save a doc changed by an operation back into its record.

    Inside ``each`` the record (already updated in memory, so a record named twice sees its
    first change) is written with the others at the end: one statement for the call, as the
    ERP's bulk operations do, instead of one ORM save per record.
    """
    store.fill_record(form, record, doc)
    pending = getattr(_pending, "records", None)
    if pending is None:
        record.save(update_fields=UPDATE_COLUMNS)
    else:
        pending[record.pk] = record


_pending = threading.local()  # the sandbox server answers calls on many threads


@contextmanager
def _writes_at_the_end():
    _pending.records = {}
    try:
        yield
        store.write_records(_pending.records.values(), UPDATE_COLUMNS)
    finally:
        _pending.records = None


# --- the transitions ---------------------------------------------------------------------------


def _submit(op, form, record, doc):
    if doc["FDocumentStatus"] not in EDITABLE:
        raise Refused((None, op.messages.submit_refused(form, record.number)))
    if doc["FDocumentStatus"] == "Z":
        problems = Writer(op, form, SaveOptions()).check_required(doc)
        if problems:
            raise Refused(*problems)
    doc["_before_submit"] = "D" if doc["FDocumentStatus"] == "D" else "A"
    doc["FDocumentStatus"] = "B"
    write_doc(form, record, doc)


def _audit(op, form, record, doc):
    if doc["FDocumentStatus"] == "C":
        raise Refused(("", op.messages.already_audited(form, record.number)))  # FieldName "" [seen]
    if doc["FDocumentStatus"] != "B":
        raise Refused((None, op.messages.audit_refused(form, record.number)))
    approve(op, doc)
    write_doc(form, record, doc)


def _unaudit(op, form, record, doc):
    if doc["FDocumentStatus"] != "C":
        raise Refused((None, op.messages.unaudit_refused(form, record.number)))
    if _has_targets(form, doc):
        raise Refused((None, op.messages.unaudit_has_targets(form, record.number)))
    doc["FDocumentStatus"] = "D"
    doc["FApproveDate"] = doc["FApproverId"] = None
    write_doc(form, record, doc)


def _cancel_assign(op, form, record, doc):
    if doc["FDocumentStatus"] != "B":
        raise Refused((None, op.messages.cancel_assign_refused(form, record.number)))
    doc["FDocumentStatus"] = doc.pop("_before_submit", "A")
    write_doc(form, record, doc)


def _delete(op, form, record, doc):
    if doc["FDocumentStatus"] not in EDITABLE:
        raise Refused((None, op.messages.DELETE_REFUSED))
    before = copy.deepcopy(doc)
    record.delete()
    links.write_back(op.tenant_id, form.form_id, before, None)


def _has_targets(form, doc):
    """Whether lines of this document were already pushed on (their write-back is non-zero)."""
    rules = [rule for rule in links.RULES.values() if rule.source.lower() == form.form_id.lower()]
    rows = ((rule, row) for rule in rules for row in doc.get(rule.source_entity) or [])
    return any(links.pushed(row, rule) for rule, row in rows)


def submit(op, form, data):
    """DynamicFormService.Submit."""
    return each(op, form, data, _submit)


def audit(op, form, data):
    """DynamicFormService.Audit."""
    return each(op, form, data, _audit, op.messages.audited)


def unaudit(op, form, data):
    """DynamicFormService.UnAudit."""
    return each(op, form, data, _unaudit)


def cancel_assign(op, form, data):
    """DynamicFormService.CancelAssign: take back a submission."""
    return each(op, form, data, _cancel_assign)


def delete(op, form, data):
    """DynamicFormService.Delete."""
    return each(op, form, data, _delete)
