"""Applying one Save model to a document, the way the ERP's save does.

Keys are matched to the form's fields in any case; keys the form does not have are
skipped, as the real server skips them. References resolve by number (or id or name) to
the copy allocated to the record's organisation; one that does not resolve is blanked —
or, with IsVerifyBaseDataField, rejected. Defaults fill what the input did not mention,
the form's computations run, and ``check_required`` reports every empty required cell.
"""

from dataclasses import dataclass, field

from sandbox.k3cloud import messages
from sandbox.k3cloud.metadata import get_form
from sandbox.k3cloud.metadata.types import CURRENT_ORG, REF, TODAY, FromRef, SameAs
from sandbox.k3cloud.protocol import as_int
from sandbox.k3cloud.refs import parse_ref
from sandbox.k3cloud.values import TEXT_LIMIT, BadValue, TooLong, stored_value


@dataclass
class RowInput:
    """One entry row of a Save model: its id (0 = new row), values and nested link rows."""

    entry_id: int = 0
    values: dict = field(default_factory=dict)
    children: dict = field(default_factory=dict)


@dataclass
class ModelInput:
    """A Save model read against a form: primary key, header values, entity rows."""

    pk: int = 0
    header: dict = field(default_factory=dict)
    entities: dict = field(default_factory=dict)


def read_model(form, model):
    """The ModelInput of a Save ``Model`` dict (sub-heads flattened into the header)."""
    read = ModelInput()
    for key, raw in model.items():
        lowered = str(key).lower()
        if lowered == form.pk.lower():
            read.pk = as_int(raw)
        elif lowered in form.subhead_by_lower:
            read.header.update(_subhead_values(form, raw))
        elif (entity := form.entity(lowered)) is not None and entity.parent is None:
            read.entities[entity.key] = _read_rows(form, entity, raw)
        elif (found := form.field(lowered)) is not None and found.entity is None:
            read.header[found.key] = raw
    return read


def _subhead_values(form, raw):
    if isinstance(raw, list):  # some clients send a sub-head as a one-row list
        raw = raw[0] if raw else {}
    if not isinstance(raw, dict):
        return {}
    found = ((form.field(str(key)), value) for key, value in raw.items())
    return {f.key: value for f, value in found if f is not None and f.entity is None}


def _read_rows(form, entity, raw):
    rows = raw if isinstance(raw, list) else []
    return [_read_row(form, entity, row) for row in rows if isinstance(row, dict)]


def _read_row(form, entity, raw):
    row = RowInput()
    for key, value in raw.items():
        lowered = str(key).lower()
        if lowered == entity.pk.lower():
            row.entry_id = as_int(value)
        elif (child := form.entity(lowered)) is not None and child.parent == entity.key:
            row.children[child.key] = _read_rows(form, child, value)
        elif (found := form.field(lowered)) is not None and found.entity == entity.key:
            row.values[found.key] = value
    return row


@dataclass
class SaveOptions:
    """The Save options that change how a model is applied."""

    update_fields: frozenset | None = None  # lower-cased NeedUpDateFields; None = all given
    delete_entries: bool = True
    verify_refs: bool = False


class Writer:
    """Applies ModelInputs of one form to docs and checks them; collects errors by field."""

    def __init__(self, op, form, options):
        self.op = op
        self.form = form
        self.options = options
        self.errors = []  # (field key or None, message)

    # --- entry point ----------------------------------------------------------------------
    def apply(self, read, doc, creating):
        """Write ``read`` into ``doc`` (a new {} or a loaded doc); returns the doc."""
        self._apply_header(read.header, doc, creating)
        for entity in self.form.top_entities():
            if entity.key in read.entities and self._touches(entity, creating):
                doc[entity.key] = self._merge_rows(
                    entity, read.entities[entity.key], doc.get(entity.key), doc
                )
        if self.form.compute:
            self.form.compute(doc)
        _drop_inputs(self.form, doc)
        return doc

    def _wanted(self, key, creating):
        fields = self.options.update_fields
        return creating or fields is None or key.lower() in fields

    def _touches(self, entity, creating):
        if self._wanted(entity.key, creating):
            return True
        return any(self._wanted(f.key, False) for f in self.form.entity_fields(entity.key))

    # --- header ---------------------------------------------------------------------------
    def _apply_header(self, values, doc, creating):
        org_key = self.form.org_key
        if creating and org_key and org_key not in values:
            # The organisation scopes the references below, so it takes its default first.
            self.fill_defaults([self.form.field(org_key)], doc, doc, set())
        ordered = sorted(
            values.items(), key=lambda item: (item[0] != org_key, self.form.field(item[0]).type == REF)
        )
        for key, raw in ordered:
            found = self.form.field(key)
            if not found.readonly and self._wanted(key, creating):
                doc[key] = self.value(found, raw, doc, doc)
        if creating:
            self.fill_defaults(self.form.header_fields(), doc, doc, set(values))

    # --- entries --------------------------------------------------------------------------
    def _merge_rows(self, entity, inputs, current, header):
        existing = {row.get(entity.pk): row for row in current or []}
        merged = []
        for row_input in inputs:
            row = existing.pop(row_input.entry_id, None) if row_input.entry_id else None
            merged.append(self._apply_row(entity, row_input, row, header))
        if not self.options.delete_entries:
            kept = [row for row in current or [] if row.get(entity.pk) in existing]
            merged = kept + merged
        return merged

    def _apply_row(self, entity, row_input, row, header):
        new = row is None
        row = {} if new else row
        for key, raw in row_input.values.items():
            found = self.form.field(key)
            if not found.readonly and (new or self._wanted(key, False)):
                row[key] = self.value(found, raw, row, header)
        row["_inputs"] = set(row_input.values)
        for child in self.form.child_entities(entity.key):
            if child.key in row_input.children:
                row[child.key] = self._merge_rows(
                    child, row_input.children[child.key], row.get(child.key), header
                )
        if new:
            self.fill_defaults(self.form.entity_fields(entity.key), row, header, set(row_input.values))
        return row

    # --- values ---------------------------------------------------------------------------
    def value(self, found, raw, row, header):
        """The stored value of ``raw`` for field ``found`` (None when blank or invalid)."""
        if found.type == REF:
            return self.reference(found, raw, row, header)
        try:
            return stored_value(found, raw, self.op.lcid)
        except TooLong:
            self.errors.append((found.key, messages.too_long(found.caption, TEXT_LIMIT)))
        except BadValue:
            self.errors.append((found.key, messages.bad_value(found.caption, raw)))
        return None

    def target_form(self, found, row, header):
        if found.ref_type_field:
            return row.get(found.ref_type_field) or header.get(found.ref_type_field) or found.ref
        return found.ref

    def reference(self, found, raw, row, header):
        target = get_form(self.target_form(found, row, header))
        ref = parse_ref(raw, target.pk if target else "")
        if ref is None or target is None:
            return None
        org_id = header.get(self.form.org_key) if target.allocatable and self.form.org_key else None
        hit = self.op.refs.find(target.form_id, ref, org_id)
        if hit is None and self.options.verify_refs:
            self.errors.append((found.key, messages.bad_reference(found.caption, ref.text)))
        return hit.id if hit else None

    def fill_defaults(self, fields, row, header, given):
        """Give every field the input did not mention its default value."""
        for found in fields:
            if found.key in given or row.get(found.key) is not None or found.default is None:
                continue
            row[found.key] = self.default(found, row, header)

    def default(self, found, row, header):
        spec = found.default
        if spec == CURRENT_ORG:
            return self.op.org_id
        if spec == TODAY:
            return self.op.today_text
        if isinstance(spec, SameAs):
            return row.get(spec.key) if spec.key in row else header.get(spec.key)
        if isinstance(spec, FromRef):
            target = self.op.refs.get(row.get(spec.ref_key))
            return target.data.get(spec.key) if target else None
        if found.type == REF:
            org_id = header.get(self.form.org_key)
            hit = self.op.refs.find_number(self.target_form(found, row, header), spec, org_id)
            return hit.id if hit else None
        return spec

    # --- checks ---------------------------------------------------------------------------
    def check_required(self, doc):
        """Every empty required cell, as (field key, message) pairs, in the ERP's words."""
        problems = [
            (f.key, messages.required(f.caption))
            for f in self.form.header_fields()
            if f.required and _empty(doc.get(f.key))
        ]
        for entity in self.form.top_entities():
            rows = doc.get(entity.key) or []
            if len(rows) < entity.min_rows:
                problems.append((entity.key, messages.entry_missing(entity.caption)))
            required = [f for f in self.form.entity_fields(entity.key) if f.required]
            for seq, row in enumerate(rows, start=1):
                problems += [
                    (f.key, messages.entry_required(entity.caption, seq, f.caption))
                    for f in required
                    if _empty(row.get(f.key))
                ]
        return problems


def _empty(value):
    return value is None or (isinstance(value, str) and not value.strip())


def _drop_inputs(form, doc):
    for entity in form.entities:
        parent_rows = doc.get(entity.parent) or [] if entity.parent else [doc]
        for holder in parent_rows:
            for row in holder.get(entity.key) or []:
                row.pop("_inputs", None)
