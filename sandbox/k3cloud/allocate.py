"""Allocate: giving other organisations their own copy of audited base data.

Each target organisation gets a row of its own (a new primary key, the same FNumber, the
source's FMASTERID, FUseOrgId = the target), saved (A) — or audited there at once with
IsAutoSubmitAndAudit. Allocating again to an organisation that already has its copy
answers that copy, so a client may safely repeat an allocation whose reply it lost.
"""

import copy

from sandbox.k3cloud import saving, store, workflow
from sandbox.k3cloud.models import Record
from sandbox.k3cloud.protocol import as_flag, ci_get, id_list
from sandbox.k3cloud.replies import (
    MSG_BAD_PARAMETER,
    MSG_NOT_FOUND,
    MSG_NOT_OPERABLE,
    Reply,
    Status,
    entity,
    failure,
    result,
)

ORGS = "ORG_Organizations"


def allocate(op, form, data):
    """DynamicFormService.Allocate ``{"PkIds": "1,2", "TOrgIds": "101,102"}``."""
    if not form.allocatable:
        return Reply(
            failure(op.messages.NOT_ALLOCATABLE.format(caption=form.caption), MSG_NOT_OPERABLE), "rejected"
        )
    pk_ids, org_ids = id_list(ci_get(data, "PkIds")), id_list(ci_get(data, "TOrgIds"))
    if not pk_ids or not org_ids:
        return Reply(failure(op.messages.NO_TARGETS, MSG_BAD_PARAMETER), "bad_request")
    auto_audit = as_flag(ci_get(data, "IsAutoSubmitAndAudit"), False)
    known_orgs = set(
        Record.objects.filter(tenant_id=op.tenant_id, form=ORGS, id__in=org_ids).values_list("id", flat=True)
    )
    records = Record.objects.filter(tenant_id=op.tenant_id, form=form.form_id)
    sources = {r.id: r for r in records.filter(id__in=pk_ids)}
    masters = {r.id: r for r in records.filter(id__in={s.master_id or s.id for s in sources.values()})}
    copies = {(r.master_id or r.id, r.org_id): r for r in records.filter(master_id__in=masters)}
    copies.update({(m.id, m.org_id): m for m in masters.values()})
    status, new = Status(), []
    for index, pk in enumerate(pk_ids):
        source = sources.get(pk)
        if source is None:
            status.fail(op.messages.not_found(form, pk), None, index, MSG_NOT_FOUND)
            continue
        master = masters[source.master_id or source.id]
        if master.document_status != "C":
            status.fail(op.messages.allocate_unaudited(form, master.number), None, index)
            continue
        for org_id in org_ids:
            _allocate_one(op, form, master, org_id, index, (known_orgs, copies, auto_audit), status, new)
    _create(op, form, new)
    status.successes += [entity(doc[form.pk], doc[form.number_key], index) for index, doc in new]
    outcome = "ok" if status.ok else ("partial" if status.successes else "rejected")
    return Reply(result(status), outcome, len(new))


def _allocate_one(op, form, master, org_id, index, known, status, new):
    known_orgs, copies, auto_audit = known
    if org_id not in known_orgs:
        status.fail(op.messages.ORG_NOT_FOUND.format(org=org_id), "TOrgIds", index, MSG_NOT_FOUND)
        return
    existing = copies.get((master.id, org_id))
    if isinstance(existing, Record):
        status.successes.append(entity(existing.id, existing.number, index))
    elif existing is None:  # (a pair named twice in one call is copied once)
        doc = _copy_doc(op, form, master, org_id, auto_audit)
        copies[(master.id, org_id)] = doc
        new.append((index, doc))


def _copy_doc(op, form, master, org_id, auto_audit):
    doc = copy.deepcopy(store.doc_from_record(form, master))
    for entry in form.top_entities():
        for row in doc.get(entry.key) or []:
            row.pop(entry.pk, None)
    doc.update(
        FUseOrgId=org_id,
        FDocumentStatus="A",
        FApproveDate=None,
        FApproverId=None,
        FCreateDate=op.now_text,
        FCreatorId=op.user_id,
        FModifyDate=op.now_text,
        FModifierId=op.user_id,
    )
    if auto_audit:
        workflow.approve(op, doc)
    return doc


def _create(op, form, new):
    saving.assign_entry_ids(op, form, [doc for _, doc in new])
    records = []
    for _, doc in new:
        record = store.fill_record(form, Record(tenant_id=op.tenant_id, form=form.form_id), doc)
        record.master_id = doc["FMASTERID"]
        records.append(record)
    Record.objects.bulk_create(records)
    for (_, doc), record in zip(new, records, strict=True):
        doc[form.pk] = record.id


# --- cancelling an allocation -------------------------------------------------------------------


def cancel_allocate(op, form, data):
    """DynamicFormService.CancelAllocate ``{"PkIds": "1,2", "TOrgIds": "101,102"}``.

    Known: the service takes ``formid`` and ``data`` like Allocate (the official Python SDK
    8.2.0, ``k3cloud_webapi_sdk/main.py`` ``CancelAllocate(formid, data)``), and a public
    Python client fills ``data`` with the same ``PkIds`` and ``TOrgIds`` as Allocate
    (single source). What follows is [inferred]: each target organisation's copy of each
    record (same FMASTERID) is deleted and answered in SuccessEntitys; a record with no copy
    in a target is refused by index (MsgCode 10), as is the creating organisation's own
    record, which cannot be un-allocated. A PkId may name the master or any of its copies.
    """
    if not form.allocatable:
        return Reply(
            failure(op.messages.NOT_ALLOCATABLE.format(caption=form.caption), MSG_NOT_OPERABLE), "rejected"
        )
    pk_ids, org_ids = id_list(ci_get(data, "PkIds")), id_list(ci_get(data, "TOrgIds"))
    if not pk_ids or not org_ids:
        return Reply(failure(op.messages.NO_TARGETS, MSG_BAD_PARAMETER), "bad_request")
    records = Record.objects.filter(tenant_id=op.tenant_id, form=form.form_id)
    sources = {r.id: r for r in records.filter(id__in=pk_ids)}
    master_ids = {s.master_id or s.id for s in sources.values()}
    copies = {(r.master_id, r.org_id): r for r in records.filter(master_id__in=master_ids)}
    copies.update(
        {(m, org): None for m, org in records.filter(id__in=master_ids).values_list("id", "org_id")}
    )
    status, doomed = Status(), []
    for index, pk in enumerate(pk_ids):
        source = sources.get(pk)
        if source is None:
            status.fail(op.messages.not_found(form, pk), None, index, MSG_NOT_FOUND)
            continue
        master_id = source.master_id or source.id
        for org_id in org_ids:
            key = (master_id, org_id)
            _cancel_one(op, form, source, copies.get(key, False), (org_id, index), status, doomed)
    Record.objects.filter(pk__in=[r.pk for r in doomed]).delete()
    outcome = "ok" if status.ok else ("partial" if status.successes else "rejected")
    return Reply(result(status), outcome, len(doomed))


def _cancel_one(op, form, source, copy_record, target, status, doomed):
    """``copy_record``: the copy to delete; None for the master's own organisation; False for none."""
    org_id, index = target
    if not copy_record:
        own = copy_record is None
        text = (
            op.messages.cancel_allocate_own_org(form, source.number)
            if own
            else op.messages.not_allocated(form, source.number, org_id)
        )
        status.fail(text, "TOrgIds", index, MSG_NOT_OPERABLE if own else MSG_NOT_FOUND)
        return
    if copy_record not in doomed:  # (a pair named twice in one call is removed once)
        doomed.append(copy_record)
        status.successes.append(entity(copy_record.id, copy_record.number, index))
