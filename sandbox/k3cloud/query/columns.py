"""Field keys of a query (``FNumber``, ``FCustId.FNumber``, ``FSaleOrderEntry_FEntryID``).

Each key becomes a Column: the entity (entry table) it reads from and a getter over a row
context — a dict with the record's doc under None and the current row of each expanded
entity under the entity's key.
"""

from dataclasses import dataclass

from sandbox.k3cloud import messages, store
from sandbox.k3cloud.metadata import get_form
from sandbox.k3cloud.metadata.types import INT, REF
from sandbox.k3cloud.models import Record
from sandbox.k3cloud.replies import MSG_FIELD_MISSING
from sandbox.k3cloud.values import query_value


class UnknownField(LookupError):
    def __init__(self, key):
        self.key = key
        self.msg_code = MSG_FIELD_MISSING
        super().__init__(messages.unknown_field(key))


@dataclass(frozen=True)
class Column:
    key: str
    entity: str | None
    type: str
    get: object  # callable(ctx) -> stored value
    joined: bool = False  # a referenced record's field: NULL when nothing is referenced

    def output(self, ctx):
        """The value as a query row shows it."""
        value = self.get(ctx)
        return None if self.joined and value is None else query_value(self.type, value)


def resolve(form, key, targets):
    """The Column for ``key`` in ``form``; raises UnknownField."""
    text = key.strip()
    base, dot, sub = text.partition(".")
    if dot:
        return _reference_column(form, text, base, sub, targets)
    for entity in form.entities:
        if text.lower() == f"{entity.key}_{entity.pk}".lower():
            return Column(text, entity.key, INT, _getter(entity.key, entity.pk))
        if text.lower() == f"{entity.key}_FSeq".lower():
            return Column(text, entity.key, INT, _getter(entity.key, "FSeq"))
    found = form.field(text)
    if found is None:
        raise UnknownField(text)
    return Column(text, found.entity, found.type, _getter(found.entity, found.key))


def _getter(entity_key, key):
    def get(ctx):
        return ctx[entity_key].get(key)

    return get


def _reference_column(form, text, base, sub, targets):
    found = form.field(base)
    target = get_form(found.ref) if found is not None and found.type == REF else None
    sub_field = target.field(sub) if target is not None else None
    if sub_field is None:
        raise UnknownField(text)
    read = _getter(found.entity, found.key)

    def get(ctx):
        # A typed reference (a receipt's contact unit) names its form in another header field.
        form_id = ctx[None].get(found.ref_type_field) if found.ref_type_field else None
        return targets.value(form_id or found.ref, read(ctx), sub_field.key)

    return Column(text, found.entity, sub_field.type, get, joined=True)


class Targets:
    """Referenced records' values for one query, loaded once per form (light, then full)."""

    def __init__(self, tenant_id):
        self.tenant_id = tenant_id
        self.light = {}  # form -> {id: (number, name)}
        self.full = {}  # form -> {id: doc}

    def value(self, form_id, record_id, key):
        if not record_id:
            return None
        form = get_form(form_id)
        if form is None:
            return None
        if key in (form.number_key, form.name_key, form.pk):
            number, name = self._light(form).get(record_id, (None, None))
            if key == form.pk:
                return record_id if number is not None else None
            return number if key == form.number_key else name
        return self._full(form).get(record_id, {}).get(key)

    def _light(self, form):
        if form.form_id not in self.light:
            rows = Record.objects.filter(tenant_id=self.tenant_id, form=form.form_id).values_list(
                "id", "number", "name"
            )
            self.light[form.form_id] = {rid: (number, name) for rid, number, name in rows}
        return self.light[form.form_id]

    def _full(self, form):
        if form.form_id not in self.full:
            rows = Record.objects.filter(tenant_id=self.tenant_id, form=form.form_id).values_list(
                *store.ROW_COLUMNS
            )
            self.full[form.form_id] = {row[0]: store.doc_from_row(form, row) for row in rows}
        return self.full[form.form_id]
