"""The vocabulary forms are described with: fields, entities (entry tables) and forms.

One description per form drives everything the simulator does with it: reading a Save
model, defaults, required-field and reference checks (and their messages, which name the
field by its Chinese caption), query columns and filters, and the View output.
"""

from dataclasses import dataclass, field

# Field types. Values are kept in a record's JSON as: TEXT/LOCALE str, INT int, DECIMAL str
# (exact), BOOL bool, DATE/DATETIME the canonical "yyyy-MM-ddTHH:mm:ss[.fff]" text, REF the
# referenced record's id.
TEXT = "text"
LOCALE = "locale"  # multilingual text: View shows it as [{"Key": 2052, "Value": ...}]
INT = "int"
DECIMAL = "decimal"
BOOL = "bool"
DATE = "date"
DATETIME = "datetime"
REF = "ref"

# Default markers resolved when a record is created (see sandbox.k3cloud.defaults).
CURRENT_ORG = "@current_org"
TODAY = "@today"


@dataclass(frozen=True)
class SameAs:
    """Default: the value of another field of the same row (or of the header)."""

    key: str


@dataclass(frozen=True)
class FromRef:
    """Default: a field of the record another field of the same row refers to."""

    ref_key: str
    key: str


@dataclass(frozen=True)
class Field:
    """One field of a form.

    ``entity`` is None for header fields, else the key of the entity (entry table) whose
    rows hold it. ``subhead`` names the one-row sub-head (e.g. ``FSaleOrderFinance``) a
    header field is written under in a Save model. ``ref`` is the form a REF points at;
    ``ref_type_field`` names the field holding the referenced form id when it varies
    (e.g. the receipt's contact unit). ``default`` is a value (a number for a REF), a marker
    above, ``SameAs`` or ``FromRef``. ``readonly`` fields are maintained by the ERP and ignored on input.
    """

    key: str
    caption: str
    type: str = TEXT
    required: bool = False
    ref: str | None = None
    entity: str | None = None
    subhead: str | None = None
    default: object = None
    readonly: bool = False
    ref_type_field: str | None = None


@dataclass(frozen=True)
class Entity:
    """An entry table of a form. ``parent`` is set for link rows nested in an entry row."""

    key: str
    caption: str
    pk: str = "FEntryID"
    parent: str | None = None
    table: str = ""  # table name link rows use to point at this entity's rows
    min_rows: int = 0


@dataclass
class Form:
    """A business object (form id), with its fields and entry tables.

    ``kind`` is "bill" (documents numbered FBillNo) or "base" (base data numbered FNumber).
    ``org_key`` is the field whose organisation scopes the record: a base-data record's use
    organisation, a bill's business organisation. ``allocatable`` base data has one row per
    organisation it is allocated to, all sharing FNumber and FMASTERID.
    """

    form_id: str
    caption: str
    kind: str
    pk: str
    fields: list
    entities: list = field(default_factory=list)
    subheads: dict = field(default_factory=dict)  # subhead key -> caption
    number_prefix: str = ""
    number_digits: int = 6
    org_key: str | None = None
    allocatable: bool = False
    name_key: str | None = "FName"
    compute: object = None  # callable(doc) run after every change

    def __post_init__(self):
        self.number_key = "FBillNo" if self.kind == "bill" else "FNumber"
        self.by_lower = {f.key.lower(): f for f in self.fields}
        self.entity_by_lower = {e.key.lower(): e for e in self.entities}
        self.entity_by_key = {e.key: e for e in self.entities}
        self.subhead_by_lower = {k.lower(): k for k in self.subheads}

    # --- lookups ------------------------------------------------------------------------
    def field(self, key):
        """The field named ``key`` (any case), or None."""
        return self.by_lower.get(key.lower())

    def entity(self, key):
        return self.entity_by_lower.get(key.lower())

    def header_fields(self):
        return [f for f in self.fields if f.entity is None]

    def entity_fields(self, entity_key):
        return [f for f in self.fields if f.entity == entity_key]

    def child_entities(self, parent_key):
        return [e for e in self.entities if e.parent == parent_key]

    def top_entities(self):
        return [e for e in self.entities if e.parent is None]
