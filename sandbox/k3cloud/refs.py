"""Base-data references: ``{"FNumber": ...}`` (or ``{"Id": ...}``, ``{"FName": ...}``) to ids.

A reference resolves only to a record that exists, is not forbidden and — for allocatable
base data (customers, materials) — is the copy allocated to the organisation of the record
being saved. Anything else does not resolve; the caller blanks it (the ERP's default) or
rejects it (IsVerifyBaseDataField). Lookups are loaded in bulk, once per call.
"""

import json
from dataclasses import dataclass, field
from functools import cached_property

from django.db.models import TextField
from django.db.models.functions import Cast

from sandbox.k3cloud.metadata import get_form
from sandbox.k3cloud.models import Record

NUMBER_KEYS = {"fnumber", "number"}
NAME_KEYS = {"fname", "name"}
ID_KEYS = {"id", "fid", "fuserid"}


@dataclass(frozen=True)
class Target:
    id: int
    form: str
    number: str
    name: str
    org_id: int | None
    forbidden: bool
    master_id: int | None
    stored: str = field(repr=False, compare=False)  # the record's JSON text

    @cached_property
    def data(self):
        """The record's other fields, parsed when first asked for: most references need
        only the columns above, and a call may look up hundreds of records."""
        return json.loads(self.stored)


@dataclass(frozen=True)
class RefInput:
    """What a reference input asks for: ``kind`` is "number", "id" or "name"."""

    kind: str
    value: object

    @property
    def text(self):
        return str(self.value)


def parse_ref(raw, target_pk=""):
    """The RefInput of a reference value, or None when it asks for nothing (blank)."""
    if not isinstance(raw, dict):
        return None
    for key, value in raw.items():
        lowered = str(key).lower()
        if value in (None, "", 0, "0"):
            continue
        if lowered in NUMBER_KEYS:
            return RefInput("number", str(value))
        if lowered in ID_KEYS or lowered == target_pk.lower():
            try:
                return RefInput("id", int(value))
            except (TypeError, ValueError):
                return RefInput("id", 0)
        if lowered in NAME_KEYS:
            return RefInput("name", str(value))
    return None


class RefIndex:
    """Reference lookups of one call, for one tenant, loaded in bulk and cached."""

    def __init__(self, tenant_id):
        self.tenant_id = tenant_id
        self.by_key = {}  # (form_id, kind, value) -> [Target]
        self.by_id = {}

    def prefetch(self, form_id, inputs):
        """Load every record of ``form_id`` the given RefInputs may point at, in few queries."""
        wanted = {"number": set(), "id": set(), "name": set()}
        for ref in inputs:
            if (form_id, ref.kind, ref.value) not in self.by_key:
                wanted[ref.kind].add(ref.value)
        for kind, column in (("number", "number"), ("id", "id"), ("name", "name")):
            if wanted[kind]:
                self._load(form_id, kind, column, wanted[kind])

    def _load(self, form_id, kind, column, values):
        for value in values:
            self.by_key.setdefault((form_id, kind, value), [])
        records = Record.objects.filter(
            tenant_id=self.tenant_id, form=form_id, **{f"{column}__in": list(values)}
        )
        for row in _target_rows(records):
            target = self._remember(row)
            self.by_key[(form_id, kind, getattr(target, column))].append(target)

    def _remember(self, row):
        record_id, form, number, name, org_id, forbid_status, master_id, stored = row
        target = Target(
            id=record_id,
            form=form,
            number=number,
            name=name,
            org_id=org_id,
            forbidden=forbid_status == "B",
            master_id=master_id,
            stored=stored,
        )
        self.by_id[record_id] = target
        return target

    def find(self, form_id, ref, org_id=None):
        """The Target ``ref`` resolves to for a record of organisation ``org_id``, or None."""
        if (form_id, ref.kind, ref.value) not in self.by_key:
            self.prefetch(form_id, [ref])
        form = get_form(form_id)
        live = [t for t in self.by_key[(form_id, ref.kind, ref.value)] if not t.forbidden]
        if form is not None and form.allocatable:
            if org_id:
                live = [t for t in live if t.org_id == org_id]
            elif ref.kind != "id":
                live = [t for t in live if t.master_id is None]
        return live[0] if live else None

    def find_number(self, form_id, number, org_id=None):
        return self.find(form_id, RefInput("number", number), org_id)

    def get(self, record_id):
        """The Target with id ``record_id`` whatever its state, or None."""
        if record_id and record_id not in self.by_id:
            for row in _target_rows(Record.objects.filter(tenant_id=self.tenant_id, id=record_id)):
                self._remember(row)
        return self.by_id.get(record_id)


def _target_rows(records):
    """The columns a Target is made of, its JSON as text (parsed only if asked for)."""
    columns = ("id", "form", "number", "name", "org_id", "forbid_status", "master_id")
    return records.annotate(stored=Cast("data", TextField())).values_list(*columns, "stored")
