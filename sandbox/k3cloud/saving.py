"""Save, BatchSave and Draft: creating and updating records from Save models.

A model without a primary key (or with 0) creates a record; one with a key updates that
record. BatchSave is not atomic: each row succeeds or fails on its own, and every error
carries the row's DIndex. Rows are prepared in memory first and written in bulk, so a
batch of a hundred rows costs a handful of queries.
"""

import copy
from dataclasses import dataclass, field

from sandbox.k3cloud import links, messages, store, workflow
from sandbox.k3cloud.metadata.types import REF
from sandbox.k3cloud.models import Record
from sandbox.k3cloud.protocol import as_flag, ci_get, text_list
from sandbox.k3cloud.refs import parse_ref
from sandbox.k3cloud.replies import MSG_BAD_PARAMETER, Reply, Status, entity, failure, result
from sandbox.k3cloud.values import query_value
from sandbox.k3cloud.writer import SaveOptions, Writer, read_model

UPDATE_COLUMNS = [
    "number",
    "name",
    "org_id",
    "document_status",
    "forbid_status",
    "created_at",
    "modified_at",
    "approved_at",
    "data",
]


@dataclass
class Prepared:
    """One input row on its way to the database."""

    index: int
    doc: dict | None = None
    record: Record | None = None
    before: dict | None = None
    errors: list = field(default_factory=list)  # (field key or None, message)


def read_options(data):
    """SaveOptions from a Save ``data`` (keys in any case)."""
    update_fields = ci_get(data, "NeedUpDateFields")
    return SaveOptions(
        update_fields=frozenset(k.lower() for k in text_list(update_fields)) if update_fields else None,
        delete_entries=as_flag(ci_get(data, "IsDeleteEntry"), True),
        verify_refs=as_flag(ci_get(data, "IsVerifyBaseDataField"), False),
    )


# --- services ---------------------------------------------------------------------------------


def save(op, form, data, draft=False):
    """DynamicFormService.Save (and Draft): one model, created or updated."""
    model = ci_get(data, "Model")
    if isinstance(model, list) and len(model) == 1:
        model = model[0]
    if not isinstance(model, dict):
        return Reply(failure("Model 不能为空，且必须是对象", MSG_BAD_PARAMETER), "bad_request")
    done = run(op, form, [model], data, draft)[0]
    status = Status()
    if done.errors:
        for key, text in done.errors:
            status.fail(text, key, 0)
        return Reply(result(status), "rejected")
    record_id, number = done.doc[form.pk], done.doc[form.number_key]
    status.successes.append(entity(record_id, number, 0))
    returned = [return_data(op, form, done.doc, text_list(ci_get(data, "NeedReturnFields")))]
    return Reply(result(status, Id=record_id, Number=number, NeedReturnData=returned), rows=1)


def draft(op, form, data):
    """DynamicFormService.Draft: save without the required-field checks, status Z."""
    return save(op, form, data, draft=True)


def batch_save(op, form, data):
    """DynamicFormService.BatchSave: many models, each saved or refused on its own."""
    models = ci_get(data, "Model")
    models = [models] if isinstance(models, dict) else models
    if not isinstance(models, list) or not models:
        return Reply(failure("Model 不能为空，且必须是数组", MSG_BAD_PARAMETER), "bad_request")
    done = run(op, form, models, data, draft=False)
    status = Status()
    returned = []
    fields = text_list(ci_get(data, "NeedReturnFields"))
    for row in done:
        for key, text in row.errors:
            status.fail(text, key, row.index)
        if not row.errors:
            status.successes.append(entity(row.doc[form.pk], row.doc[form.number_key], row.index))
            returned.append(return_data(op, form, row.doc, fields))
    outcome = "ok" if status.ok else ("partial" if status.successes else "rejected")
    return Reply(result(status, Id="", Number="", NeedReturnData=returned), outcome, len(status.successes))


# --- the pipeline -----------------------------------------------------------------------------


def run(op, form, models, data, draft):
    """Prepare every model, then write those that passed; returns the Prepared rows."""
    options = read_options(data)
    auto_audit = as_flag(ci_get(data, "IsAutoSubmitAndAudit"), False) and not draft
    reads = [read_model(form, model) if isinstance(model, dict) else None for model in models]
    _prefetch(op, form, reads)
    existing = store.load_docs(op.tenant_id, form, [r.pk for r in reads if r and r.pk > 0])
    rows = [_prepare(op, form, options, read, existing, index, draft) for index, read in enumerate(reads)]
    for row in rows:
        if not row.errors:
            _stamp(op, form, row, draft, auto_audit)
    persist(op, form, [row for row in rows if not row.errors])
    return rows


def _prefetch(op, form, reads):
    """Load every referenced record of the batch in one query per form."""
    wanted = {}
    for read in (r for r in reads if r is not None):
        cells = list(read.header.items())
        for rows in read.entities.values():
            cells += [item for row in rows for item in row.values.items()]
        for key, raw in cells:
            found = form.field(key)
            ref = parse_ref(raw) if found.type == REF else None
            if ref is not None:
                wanted.setdefault(found.ref, []).append(ref)
    for target, refs in wanted.items():
        op.refs.prefetch(target, refs)


def _prepare(op, form, options, read, existing, index, draft):
    row = Prepared(index)
    if read is None:
        row.errors.append((None, "Model 的每一行都必须是对象"))
        return row
    if read.errors:
        row.errors = list(read.errors)
        return row
    if read.pk > 0:
        if read.pk not in existing:
            row.errors.append((form.pk, messages.not_found(form, read.pk)))
            return row
        row.record, row.before = existing[read.pk]
        if row.before["FDocumentStatus"] in ("B", "C"):
            # FieldName "" rather than null, as the real refusal of an audited bill has it.
            row.errors.append(("", messages.save_refused(form, row.before[form.number_key])))
            return row
    writer = Writer(op, form, options)
    row.doc = writer.apply(read, copy.deepcopy(row.before) if row.before else {}, creating=row.before is None)
    row.errors = writer.errors + ([] if draft else writer.check_required(row.doc))
    number = row.doc.get(form.number_key)
    row.doc[form.number_key] = str(number).strip() if number not in (None, "") else ""
    return row


def _stamp(op, form, row, draft, auto_audit):
    doc = row.doc
    doc["FModifyDate"], doc["FModifierId"] = op.now_text, op.user_id
    if row.before is None:
        doc["FCreateDate"], doc["FCreatorId"] = op.now_text, op.user_id
        doc["FDocumentStatus"], doc["FApproveDate"] = ("Z" if draft else "A"), None
        for key in ("FForbidStatus", "FCancelStatus", "FCloseStatus"):
            if form.field(key):
                doc[key] = "A"
    elif not draft and doc["FDocumentStatus"] == "Z":
        doc["FDocumentStatus"] = "A"
    if auto_audit:
        workflow.approve(op, doc)


def persist(op, form, rows):
    """Number, id and write the prepared rows (duplicates are turned into row errors)."""
    _check_numbers(op, form, rows)
    rows = [row for row in rows if not row.errors]
    missing = [row for row in rows if not row.doc[form.number_key]]
    for row, number in zip(missing, store.next_numbers(op.tenant_id, form, len(missing)), strict=True):
        row.doc[form.number_key] = number
    assign_entry_ids(op, form, [row.doc for row in rows])
    creates = [row for row in rows if row.record is None]
    records = [
        store.fill_record(form, Record(tenant_id=op.tenant_id, form=form.form_id), r.doc) for r in creates
    ]
    Record.objects.bulk_create(records)
    for row, record in zip(creates, records, strict=True):
        row.record, row.doc[form.pk] = record, record.id
        if form.allocatable:
            row.doc["FMASTERID"] = record.id
    updates = [row for row in rows if row.before is not None]
    store.write_records([store.fill_record(form, r.record, r.doc) for r in updates], UPDATE_COLUMNS)
    for row in rows:
        links.write_back(op.tenant_id, form.form_id, row.before, row.doc)
    if form.allocatable:
        _update_copies(op, form, [row.doc for row in updates if row.record.master_id is None])


def _check_numbers(op, form, rows):
    key = form.number_key
    given = [row for row in rows if row.doc[key]]
    taken = {}
    for record in store.find_by_numbers(op.tenant_id, form, {row.doc[key] for row in given}):
        taken.setdefault(record.number, set()).add(record.id)
    seen = set()
    for row in given:
        own = {row.record.id, row.record.master_id} if row.record else set()
        if taken.get(row.doc[key], set()) - own or row.doc[key] in seen:
            row.errors.append((key, messages.duplicate_number(row.doc[key])))
        seen.add(row.doc[key])


def assign_entry_ids(op, form, docs):
    """Give every new entry row (and link row) an id, and number every row's FSeq."""
    holders = []
    for doc in docs:
        for top in form.top_entities():
            for seq, row in enumerate(doc.get(top.key) or [], start=1):
                row["FSeq"] = seq
                holders.append((row, top.pk))
                for child in form.child_entities(top.key):
                    holders += [(link, child.pk) for link in row.get(child.key) or []]
    fresh = [(row, pk) for row, pk in holders if not row.get(pk)]
    for (row, pk), new_id in zip(
        fresh, store.entry_ids(op.tenant_id, len(fresh)) if fresh else (), strict=False
    ):
        row[pk] = new_id


def _update_copies(op, form, masters):
    """Changes to allocated base data reach every organisation's copy, as in the ERP."""
    private = {
        "FUseOrgId",
        "FDocumentStatus",
        "FForbidStatus",
        "FApproveDate",
        "FApproverId",
        "FCreateDate",
        "FCreatorId",
    }
    by_id = {master[form.pk]: master for master in masters}
    if not by_id:
        return
    # One query for the copies of the whole batch (a query per master read the table each time).
    copies = list(Record.objects.filter(tenant_id=op.tenant_id, form=form.form_id, master_id__in=list(by_id)))
    for record in copies:
        master = by_id[record.master_id]
        doc = store.doc_from_record(form, record)
        doc.update({k: copy.deepcopy(v) for k, v in master.items() if k not in private and k != form.pk})
        doc["FMASTERID"] = master[form.pk]
        store.fill_record(form, record, doc)
    store.write_records(copies, UPDATE_COLUMNS)


# --- NeedReturnData -----------------------------------------------------------------------------


def return_data(op, form, doc, keys):
    """The fields a client asked for in NeedReturnFields (``key`` or ``Entity.key``)."""
    data = {}
    for key in keys:
        head, _, tail = key.partition(".")
        found_entity = form.entity(head)
        if found_entity is not None:
            rows = doc.get(found_entity.key) or []
            target = data.setdefault(found_entity.key, [{} for _ in rows])
            for out, row in zip(target, rows, strict=True):
                out[found_entity.pk] = row.get(found_entity.pk)
                if tail and (cell := form.field(tail)) is not None:
                    out[cell.key] = _return_value(op, cell, row.get(cell.key))
        elif (cell := form.field(key)) is not None:
            data[cell.key] = _return_value(op, cell, doc.get(cell.key))
    return data


def _return_value(op, cell, value):
    if cell.type == REF:
        target = op.refs.get(value)
        return {"FNumber": target.number if target else ""}
    return query_value(cell.type, value)
