"""The K3Cloud (金蝶云星空) adapter: the engine's protocol over ``K3CloudClient``.

Reads are ExecuteBillQuery pulls grouped back into one record per primary key; writes are
one BatchSave per batch the engine hands over; post-actions are the ERP's status operations.
"""

from connectors.errors import ConnectorError
from syncjobs.adapters import k3cloud_actions
from syncjobs.adapters.base import TargetRef
from syncjobs.adapters.k3cloud_forms import form_info
from syncjobs.adapters.k3cloud_read import (
    SYSTEM,
    QueryShape,
    changed_filter,
    chunks,
    in_condition,
    join,
    scope_conditions,
)
from syncjobs.adapters.k3cloud_write import (
    batch_results,
    failed_results,
    record_id,
    save_model,
    update_field_keys,
)
from syncjobs.mapping.paths import assign, parse_path

ORGANISATIONS = "ORG_Organizations"


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
        entry rows continue on the next query page is finished from that page.
        """
        shape = QueryShape(obj, options.fields, with_status=options.include_deleted)
        rows = self.client.query(
            obj,
            shape.keys,
            changed_filter(shape.form, since, options),
            shape.order,
            page_size=max(1, options.page_size),
        )
        yield from _pages(shape.records(rows), max(1, options.page_size))

    def read_ids(self, obj, ids, options):
        """The records with these primary keys (within the flow's scope); unknown ids are absent."""
        shape = QueryShape(obj, options.fields, with_status=options.include_deleted)
        scope = scope_conditions(shape.form, options)
        return list(self._by_keys(shape, shape.form.pk, ids, scope))

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
        for chunk in chunks(str(v) for v in values):
            condition = join([in_condition(key, chunk), *scope])
            yield from shape.records(
                self.client.query(shape.form.form_id, shape.keys, condition, shape.order)
            )

    # --- writing -------------------------------------------------------------------------
    def write(self, obj, items):
        """One BatchSave for all ``items``; one ``WriteResult`` per item, matched by DIndex.

        Creates leave the primary key out, updates set it. When the answer is lost, every
        item of the batch gets the ``OutcomeUnknownError``; a call-level refusal likewise
        fails every item with that error.
        """
        if not items:
            return []
        form = form_info(obj)
        models = [save_model(form, item) for item in items]
        options = {}
        if any(item.target_id and item.update_fields is not None for item in items):
            options["need_update_fields"] = update_field_keys(form, models)
        try:
            batch = self.client.batch_save(form.form_id, models, **options)
        except ConnectorError as error:
            return failed_results(items, error)
        return batch_results(items, batch)

    def update_fields(self, obj, record_id_, values):
        """Save only ``values`` onto record ``record_id_`` (NeedUpDateFields); raises on failure."""
        form = form_info(obj)
        model = {form.pk: record_id(record_id_), **values}
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
