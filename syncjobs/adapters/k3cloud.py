"""The K3Cloud (金蝶云星空) adapter: the engine's protocol over ``K3CloudClient``.

Reads are ExecuteBillQuery pulls grouped back into one record per primary key; writes are
one BatchSave per batch the engine hands over; post-actions are the ERP's status operations.
"""

from connectors.errors import ConnectorError
from connectors.k3cloud.query import in_condition
from syncjobs.adapters import k3cloud_actions
from syncjobs.adapters.base import TargetRef, chunks
from syncjobs.adapters.k3cloud_fields import target_fields
from syncjobs.adapters.k3cloud_forms import form_info
from syncjobs.adapters.k3cloud_read import (
    IN_CHUNK,
    SYSTEM,
    QueryShape,
    changed_filter,
    join,
    keyset_rows,
    scope_conditions,
)
from syncjobs.adapters.k3cloud_write import (
    batch_results,
    clear_emptied_entries,
    entry_keys,
    failed_results,
    record_id,
    save_model,
    save_options,
    update_field_keys,
)
from syncjobs.adapters.values import for_k3cloud
from syncjobs.mapping.paths import assign, parse_path

ORGANISATIONS = "ORG_Organizations"
MAX_QUERY_ROWS = 2000  # the ERP's default cap on one query page
ROWS_PER_DOCUMENT = 4  # entry rows a document is expected to bring, to size query pages


class K3CloudAdapter:
    """One K3Cloud account set, as the sync engine sees it. Not shared between threads."""

    system = SYSTEM

    def __init__(self, client):
        self.client = client
        self._org_ids = {}  # organisation number -> FORGID, asked once per adapter

    # --- reading -------------------------------------------------------------------------
    def read_changed(self, obj, since, options):
        """Pages of records saved or audited at or after ``since``, in primary-key order.

        FilterString ``(FModifyDate >= since or FApproveDate >= since)`` in ERP local time,
        plus the flow's scope (audited only, not voided, the flow's conditions). The query
        streams: a page of records is yielded as soon as it is complete, and a record whose
        entry rows continue past a query page is completed from the next one.
        """
        shape = self._read_shape(obj, options)
        size = max(1, options.page_size)
        # A page of documents with entries takes several rows each: fewer, fuller query pages.
        limit = min(MAX_QUERY_ROWS, size * (ROWS_PER_DOCUMENT if shape.entries else 1))
        rows = keyset_rows(self.client, shape, changed_filter(shape.form, since, options), limit)
        yield from _pages(shape.records(rows), size)

    def read_ids(self, obj, ids, options):
        """The records with these primary keys (within the flow's scope); unknown ids are absent."""
        shape = self._read_shape(obj, options)
        scope = scope_conditions(shape.form, options)
        return list(self._by_keys(shape, shape.form.pk, ids, scope))

    def _read_shape(self, obj, options):
        # A source read judges who saved each record, so it asks for the modifier too.
        api_user_id = self.client.api_user_id()
        return QueryShape(obj, options.fields, with_status=options.include_deleted, api_user_id=api_user_id)

    def fetch_current(self, obj, ids, fields):
        """``{id: values}`` shaped like a mapped payload (``{"FCustId": {"FNumber": ...}}``)."""
        shape = QueryShape(obj, fields)
        found = self._by_keys(shape, shape.form.pk, ids, [])
        return {record.id: _nested(record.data, shape) for record in found}

    def find_by(self, obj, field_path, values):
        """``{value: [TargetRef]}`` for records whose ``field_path`` is one of ``values``.

        One query per 200 values. Values compare without case, as the ERP's collation does.
        Allocated copies of base data are left out: only the original can be adopted.
        """
        shape = QueryShape(obj, [field_path])
        wanted = {str(v).casefold(): str(v) for v in values if v not in (None, "")}
        found = {}
        for record in self._by_keys(shape, shape.columns[0].key, wanted.values(), _originals(shape.form)):
            value = wanted.get(str(record.data.get(field_path)).casefold())
            if value is not None:
                found.setdefault(value, []).append(TargetRef(record.id, record.number))
        return found

    def _by_keys(self, shape, key, values, scope):
        for chunk in chunks((str(v) for v in values), IN_CHUNK):
            condition = join([in_condition(key, chunk), *scope])
            yield from shape.records(keyset_rows(self.client, shape, condition, MAX_QUERY_ROWS))

    # --- writing -------------------------------------------------------------------------
    def write(self, obj, items):
        """One BatchSave for all ``items``; one ``WriteResult`` per item, matched by DIndex.

        Creates leave the primary key out, updates set it; references are verified unless
        the items say otherwise (``save_options``). When the answer is lost, every
        item of the batch gets the ``OutcomeUnknownError``; a call-level refusal likewise
        fails every item with that error.
        """
        if not items:
            return []
        form = form_info(obj)
        models = [save_model(form, item) for item in items]
        options = save_options(form, items, models)
        try:
            self._keep_entry_ids(form, items, models)
            clear_emptied_entries(form, items, models)
            batch = self.client.batch_save(form.form_id, models, **options)
        except ConnectorError as error:
            return failed_results(items, error)
        return batch_results(items, batch)

    def _keep_entry_ids(self, form, items, models):
        """Give an update's entry lines the ids of the document's current lines, by position.

        Without FEntryID the ERP would delete every line and add new ones, breaking the
        links other documents (delivery notices, receipts) hold to them. One query for
        all the updates of the batch.
        """
        updates = {item.target_id: model for item, model in zip(items, models, strict=True) if item.target_id}
        entries = {key: entry for model in updates.values() for key, entry in entry_keys(form, model).items()}
        if not entries:
            return
        shape = QueryShape(
            form.form_id, [f"{entry}[].{form.entries[entry]}" for entry in set(entries.values())]
        )
        for record in self._by_keys(shape, form.pk, updates, []):
            for key, entry in entries.items():
                existing = [line[form.entries[entry]] for line in record.data.get(entry) or []]
                for line, entry_id in zip(updates[record.id].get(key) or [], existing, strict=False):
                    if isinstance(line, dict):
                        line.setdefault(form.entries[entry], entry_id)

    def update_fields(self, obj, record_id_, values):
        """Save only ``values`` onto record ``record_id_`` (NeedUpDateFields); raises on failure."""
        form = form_info(obj)
        model = {form.pk: record_id(record_id_), **for_k3cloud(values)}
        self.client.save(form.form_id, model, need_update_fields=update_field_keys(form, [model]))

    def post_action(self, obj, action, refs):
        """``{ref id: error or None}`` after ``submit``, ``audit``, ``unaudit``, ``allocate``
        (``{"organisations": ["101"], "auto_submit_and_audit": false}``), ``forbid``,
        ``enable``, ``cancel`` or ``close``."""
        if not refs:
            return {}
        return k3cloud_actions.run(self.client, form_info(obj), action, refs, self.organisation_ids)

    def void(self, obj, ref):
        """Forbid base data, cancel a bill (ExcuteOperation); raises on failure."""
        form = form_info(obj)
        self.client.execute_operation(form.form_id, form.void_operation, ids=[record_id(ref.id)])

    def organisation_ids(self, numbers):
        """FORGIDs of organisation numbers, asked of the ERP once per adapter."""
        missing = [str(n) for n in numbers if str(n) not in self._org_ids]
        if missing:
            found = self.find_by(ORGANISATIONS, "FNumber", missing)
            self._org_ids.update({number: record_id(refs[0].id) for number, refs in found.items()})
        unknown = [str(n) for n in numbers if str(n) not in self._org_ids]
        if unknown:
            raise k3cloud_actions.org_lookup_failed(unknown)
        return [self._org_ids[str(n)] for n in numbers]

    def call_counts(self):
        """Calls made today by this connector, per operation (shared counters, every process)."""
        return self.client.api.state.call_counts(self.client.config.connector_key)

    def target_fields(self, obj):
        """``{mapping path (lower case): TargetField}`` of the form's listed fields (no call made)."""
        return target_fields(obj)


def _pages(records, size):
    page = []
    for record in records:
        page.append(record)
        if len(page) == size:
            yield page
            page = []
    if page:
        yield page


def _originals(form):
    return [f"{form.master_key} = {form.pk}"] if form.master_key else []


def _nested(data, shape):
    """Flat query values (``FCustId.FNumber``) as the nested shape a Save model has."""
    nested = {}
    for column in shape.columns:
        if column.entry is None:
            assign(nested, parse_path(column.name), (), data.get(column.name))
    for entry in shape.entries:
        lines = []
        for line in data.get(entry) or []:
            built = {}
            for name, value in line.items():
                assign(built, parse_path(name), (), value)
            lines.append(built)
        nested[entry] = lines
    return nested
