"""Records as documents: loading and writing the one-table storage, counters and numbering.

A *doc* is a record as a plain dict keyed by the form's field keys: header values, and
per entity a list of row dicts (which may nest link rows). Column-backed values (number,
statuses, dates, organisation) are copied in and out of the indexed columns.
"""

from django.db import connections
from django.db.models import F

from sandbox.k3cloud.models import Counter, Record
from sandbox.k3cloud.values import moment_text, text_moment
from sandbox.routers import SANDBOX_DB

ROW_COLUMNS = ("id", "number", "name", "master_id", "org_id", "document_status", "forbid_status", "data")
# Dates are kept twice: as the ERP writes them in ``data`` (read back as they are) and as
# indexed columns (for the SQL pre-selection of queries and the admin).
DATE_COLUMNS = {"FCreateDate": "created_at", "FModifyDate": "modified_at", "FApproveDate": "approved_at"}


def column_keys(form):
    """Field key -> column, for the values a form keeps in indexed columns (dates aside)."""
    keys = {form.number_key: "number", "FDocumentStatus": "document_status"}
    if form.name_key:
        keys[form.name_key] = "name"
    if form.kind == "base":
        keys["FForbidStatus"] = "forbid_status"
    if form.org_key:
        keys[form.org_key] = "org_id"
    return keys


def doc_from_row(form, row):
    """A doc from a ``values_list(*ROW_COLUMNS)`` tuple."""
    record_id, number, name, master_id, org_id, status, forbid, data = row
    doc = dict(data)
    doc[form.pk] = record_id
    doc[form.number_key] = number
    doc["FDocumentStatus"] = status
    if form.name_key:
        doc[form.name_key] = name
    if form.kind == "base":
        doc["FForbidStatus"] = forbid
    if form.org_key:
        doc[form.org_key] = org_id
    if form.allocatable:
        doc["FMASTERID"] = master_id or record_id
    return doc


def doc_from_record(form, record):
    return doc_from_row(form, tuple(getattr(record, column) for column in ROW_COLUMNS))


def fill_record(form, record, doc):
    """Copy a doc into a (new or loaded) Record instance."""
    skip = set(column_keys(form)) | {form.pk, "FMASTERID"}
    for key, column in column_keys(form).items():
        value = doc.get(key)
        setattr(record, column, value if value is not None or column == "org_id" else "")
    for key, column in DATE_COLUMNS.items():
        setattr(record, column, text_moment(doc.get(key)))
    record.data = {key: value for key, value in doc.items() if key not in skip}
    return record


def write_records(records, columns):
    """Write ``columns`` of loaded records back: one UPDATE, executed for every record.

    The ERP's bulk saves and audits touch thousands of records in one call; ``bulk_update``
    would compile a CASE per column and record, costing more than the database itself.
    """
    connection = connections[SANDBOX_DB]
    fields = [Record._meta.get_field(column) for column in columns]
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(field.column)} = %s" for field in fields)
    statement = f"UPDATE {quote(Record._meta.db_table)} SET {assignments} WHERE {quote('id')} = %s"
    values = [[*_prepared(record, fields, connection), record.pk] for record in records]
    if values:
        with connection.cursor() as cursor:
            cursor.executemany(statement, values)


def _prepared(record, fields, connection):
    return [field.get_db_prep_save(field.value_from_object(record), connection) for field in fields]


def load_docs(tenant_id, form, ids):
    """{id: (record, doc)} for the given ids of ``form`` (missing ids are left out)."""
    records = Record.objects.filter(tenant_id=tenant_id, form=form.form_id, id__in=list(ids))
    return {record.id: (record, doc_from_record(form, record)) for record in records}


def find_by_numbers(tenant_id, form, numbers, masters_only=True):
    """Records of ``form`` whose number is one of ``numbers``."""
    records = Record.objects.filter(tenant_id=tenant_id, form=form.form_id, number__in=list(numbers))
    if masters_only:
        records = records.filter(master_id__isnull=True)
    return list(records)


def take(tenant_id, name, count=1, start=0):
    """Reserve ``count`` values of the tenant's counter ``name``; returns them as a range.

    Runs inside the caller's write transaction, so reservations never overlap.
    """
    updated = Counter.objects.filter(tenant_id=tenant_id, name=name).update(value=F("value") + count)
    if not updated:
        Counter.objects.create(tenant_id=tenant_id, name=name, value=start + count)
    last = Counter.objects.get(tenant_id=tenant_id, name=name).value
    return range(last - count + 1, last + 1)


def entry_ids(tenant_id, count):
    """Fresh entry-row ids (FEntryID), unique within the tenant."""
    return iter(take(tenant_id, "entry", count, start=100000))


def next_numbers(tenant_id, form, count):
    """``count`` unused automatic numbers (prefix + zero-padded sequence), in order."""
    numbers = []
    while len(numbers) < count:
        wanted = count - len(numbers)
        block = take(tenant_id, f"number:{form.form_id}", wanted)
        candidates = [f"{form.number_prefix}{n:0{form.number_digits}d}" for n in block]
        used = set()
        for start in range(0, len(candidates), 500):  # keep each IN (...) small
            chunk = candidates[start : start + 500]
            used |= {r.number for r in find_by_numbers(tenant_id, form, chunk, masters_only=False)}
        numbers += [number for number in candidates if number not in used]
    return numbers


def save_edited(record, now):
    """Keep a record changed by hand (in the admin): stamped modified at ``now``, so an
    incremental pull on FModifyDate sees the change, as after an edit in the ERP's client."""
    record.modified_at = now
    record.data = {**record.data, "FModifyDate": moment_text(now)}
    record.save()
