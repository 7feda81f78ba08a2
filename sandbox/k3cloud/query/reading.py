"""Reading a form's records for a query: SQL pre-selection and a cache of parsed JSON.

Top-level ``and`` conditions on indexed columns (create/modify/approve date, status,
primary key) become SQL and are not evaluated again: their SQL meaning is the same as the
Python one (dates are stored cut to milliseconds, statuses in capitals, NULL dates fail
every comparison). A top-level ``=`` or ``in`` on a header text field (a number, a tax
code: what lookups match on) also narrows the SQL selection, to a superset of what it
matches, and is still evaluated in Python: without it every lookup parsed every record of
the form. A paged pull reads the same records once per page, so each record's
parsed JSON is kept while its stored text is unchanged — a page costs a fetch and a
string comparison per record instead of a parse.
"""

import json
import threading
from collections import OrderedDict
from decimal import Decimal

from django.db.models import F, Func, IntegerField, Q, TextField
from django.db.models.fields.json import KT
from django.db.models.functions import Cast, Length, Lower
from django.db.models.lookups import GreaterThan, In

from sandbox.k3cloud import filters, store
from sandbox.k3cloud.metadata.types import DATETIME, LOCALE, TEXT
from sandbox.k3cloud.models import Record
from sandbox.k3cloud.values import BadValue, literal_for, text_moment

LOOKUPS = {"=": "exact", ">": "gt", ">=": "gte", "<": "lt", "<=": "lte"}
DATE_COLUMNS = {"fcreatedate": "created_at", "fmodifydate": "modified_at", "fapprovedate": "approved_at"}


def split_filter(form, tree):
    """(Q answered by SQL, the rest of the filter tree or None)."""
    conditions = tree.items if isinstance(tree, filters.And) else [tree] if tree is not None else []
    query, rest = Q(), []
    for condition in conditions:
        translated = _column_condition(form, condition)
        if translated is None:
            rest.append(condition)
            query &= _text_superset(form, condition) or Q()
        else:
            query &= translated
    residual = None if not rest else rest[0] if len(rest) == 1 else filters.And(tuple(rest))
    return query, residual


def _column_condition(form, condition):
    """The Q of one condition on an indexed column, or None when SQL cannot take it."""
    if isinstance(condition, filters.InList) and isinstance(condition.operand, filters.FieldName):
        column, convert = _column(form, condition.operand.name)
        if column is None or condition.negated:
            return None
        values = [convert(item.value) for item in condition.items if isinstance(item, filters.Literal)]
        ok = len(values) == len(condition.items) and None not in values
        return Q(**{f"{column}__in": values}) if ok else None
    if not isinstance(condition, filters.Compare) or condition.op not in LOOKUPS:
        return None
    if not (isinstance(condition.left, filters.FieldName) and isinstance(condition.right, filters.Literal)):
        return None
    column, convert = _column(form, condition.left.name)
    value = convert(condition.right.value) if column else None
    return Q(**{f"{column}__{LOOKUPS[condition.op]}": value}) if value is not None else None


def _column(form, name):
    """(column, literal converter) for a filterable indexed column, else (None, None)."""
    lowered = name.lower()
    if lowered in DATE_COLUMNS:
        return DATE_COLUMNS[lowered], _moment
    if lowered == form.pk.lower():
        return "id", _integer
    if lowered == "fdocumentstatus":
        return "document_status", _status
    return None, None


def _text_superset(form, condition):
    """A Q selecting at least every record an ``=``/``in`` on a header text field matches.

    Texts compare case-insensitively (``str.casefold``). For ASCII literals, SQL's ``lower``
    agrees with it on every ASCII value; a value holding any other character (a few, like
    the Kelvin sign, casefold to ASCII) is kept for Python to judge. None when the condition
    is of another shape, names another kind of field, or lists a literal that is not a
    non-empty ASCII string (an empty literal matches a missing value, which SQL would drop).
    """
    if isinstance(condition, filters.InList) and not condition.negated:
        operand, items = condition.operand, condition.items
    elif isinstance(condition, filters.Compare) and condition.op == "=":
        operand, items = condition.left, (condition.right,)
    else:
        return None
    field = form.field(operand.name) if isinstance(operand, filters.FieldName) else None
    if field is None or field.entity is not None or field.type not in (TEXT, LOCALE):
        return None
    texts = [item.value for item in items if isinstance(item, filters.Literal)]
    if len(texts) != len(items) or not all(isinstance(t, str) and t and t.isascii() for t in texts):
        return None
    column = store.column_keys(form).get(field.key)
    value = F(column) if column else KT(f"data__{field.key}")
    lowered = In(Lower(value), sorted({text.lower() for text in texts}))
    return Q(lowered) | Q(GreaterThan(ByteLength(value), Length(value)))


class ByteLength(Func):
    """A text's length in UTF-8 bytes: more than its length in characters unless all ASCII."""

    function = "OCTET_LENGTH"
    output_field = IntegerField()

    def as_sqlite(self, compiler, connection, **extra_context):
        # OCTET_LENGTH arrived in SQLite 3.43; a BLOB's length is its size in bytes.
        return self.as_sql(compiler, connection, template="LENGTH(CAST(%(expressions)s AS BLOB))")


def _moment(value):
    try:
        return text_moment(literal_for(DATETIME, value))
    except BadValue:
        return None  # the Python evaluation reports the conversion error


def _integer(value):
    try:
        number = Decimal(str(value))
    except ArithmeticError:
        return None
    return int(number) if number == number.to_integral_value() else None


def _status(value):
    text = str(value or "").strip().upper()
    return text if len(text) == 1 else None


# --- records as docs ---------------------------------------------------------------------------


class ParsedJson:
    """Parsed ``data`` of recently read record sets, reused while the stored text is unchanged."""

    def __init__(self, sets=8):
        self.sets = OrderedDict()  # (tenant id, form id) -> {record id: (text, parsed)}
        self.size = sets
        self.lock = threading.Lock()

    def entries(self, key):
        with self.lock:
            entries = self.sets.pop(key, None) or {}
            self.sets[key] = entries
            while len(self.sets) > self.size:
                self.sets.popitem(last=False)
            return entries

    @staticmethod
    def parse(entries, record_id, text):
        known = entries.get(record_id)
        if known is not None and known[0] == text:
            return known[1]
        parsed = json.loads(text)
        entries[record_id] = (text, parsed)
        return parsed


PARSED = ParsedJson()


def documents(tenant_id, form, selection):
    """The docs of ``form``'s records matching ``selection``, in id order (read-only: shared)."""
    records = Record.objects.filter(tenant_id=tenant_id, form=form.form_id).filter(selection).order_by("id")
    columns = store.ROW_COLUMNS[:-1]
    rows = records.annotate(raw=Cast("data", TextField())).values_list(*columns, "raw")
    entries = PARSED.entries((tenant_id, form.form_id))
    for row in rows.iterator(chunk_size=2000):
        yield store.doc_from_row(form, (*row[:-1], ParsedJson.parse(entries, row[0], row[-1])))
