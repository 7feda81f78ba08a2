"""Running a query: select records, expand entry rows, filter, order, page, project.

Records are pre-selected in SQL where a top-level ``and`` condition is on an indexed column
(modify/approve/create date, status, primary key); every condition is then evaluated in
Python over the expanded rows, so the SQL step only ever narrows what is read.
"""

from decimal import Decimal

from django.db.models import Q

from sandbox.k3cloud import filters, messages, store
from sandbox.k3cloud.metadata import get_form
from sandbox.k3cloud.metadata.types import DATETIME
from sandbox.k3cloud.models import Record
from sandbox.k3cloud.protocol import as_int, ci_get
from sandbox.k3cloud.query.columns import Targets, UnknownField, resolve
from sandbox.k3cloud.query.predicates import FilterError, compile_filter
from sandbox.k3cloud.replies import MSG_EXCEPTION, MSG_FORM_EMPTY, Reply, query_failure
from sandbox.k3cloud.values import BadValue, comparable, literal_for, text_moment

DEFAULT_ROW_CAP = 2000
LOOKUPS = {"=": "exact", ">": "gt", ">=": "gte", "<": "lt", "<=": "lte"}
DATE_COLUMNS = {"fcreatedate": "created_at", "fmodifydate": "modified_at", "fapprovedate": "approved_at"}


class QueryError(Exception):
    def __init__(self, message, msg_code):
        self.msg_code = msg_code
        super().__init__(message)


def execute_bill_query(op, data):
    """DynamicFormService.ExecuteBillQuery: rows as lists, columns in FieldKeys order."""
    try:
        keys, rows = run_query(op, data)
    except QueryError as error:
        return Reply(query_failure(str(error), error.msg_code), "rejected")
    return Reply(rows, rows=len(rows))


def bill_query(op, data):
    """DynamicFormService.BillQuery: rows as objects keyed by the FieldKeys as written."""
    try:
        keys, rows = run_query(op, data)
    except QueryError as error:
        return Reply(query_failure(str(error), error.msg_code), "rejected")
    return Reply([dict(zip(keys, row, strict=True)) for row in rows], rows=len(rows))


def run_query(op, data):
    """(field keys, rows) of a query; raises QueryError with the ERP's message."""
    form_id = ci_get(data, "FormId")
    if not str(form_id or "").strip():
        raise QueryError("表单Id（FormId）不能为空", MSG_FORM_EMPTY)
    form = get_form(form_id)
    if form is None:
        raise QueryError(messages.FORM_NOT_FOUND, MSG_EXCEPTION)
    targets = Targets(op.tenant_id)
    try:
        keys = [key.strip() for key in str(ci_get(data, "FieldKeys") or "").split(",") if key.strip()]
        selected = [resolve(form, key, targets) for key in keys]
        tree = filters.parse(_filter_text(ci_get(data, "FilterString")))
        predicate = compile_filter(tree, {n: resolve(form, n, targets) for n in filters.field_names(tree)})
        order = _order(form, ci_get(data, "OrderString"), targets)
    except (UnknownField, FilterError) as error:
        raise QueryError(str(error), error.msg_code) from error
    except filters.FilterSyntaxError as error:
        raise QueryError(str(error), MSG_EXCEPTION) from error
    needed = {c.entity for c in selected + [c for c, _ in order]} | _filter_entities(form, tree, targets)
    matched = [ctx for ctx in _contexts(op, form, tree, needed) if predicate(ctx) is True]
    for column, descending in reversed(order):
        matched.sort(key=lambda ctx, c=column: _sort_key(c, ctx), reverse=descending)
    window = _window(matched, data, int(op.faults.get("query_row_cap") or DEFAULT_ROW_CAP))
    return keys, [[c.output(ctx) for c in selected] for ctx in window]


def _filter_text(value):
    if isinstance(value, list):  # the JSON-array filter form: its compare codes are unverified
        raise QueryError("FilterString 只支持字符串形式的过滤条件", MSG_EXCEPTION)
    return value


def _filter_entities(form, tree, targets):
    return {resolve(form, name, targets).entity for name in filters.field_names(tree)}


def _order(form, text, targets):
    """[(Column, descending)] of an OrderString like ``FModifyDate ASC, FID``."""
    order = []
    for part in str(text or "").split(","):
        words = part.split()
        if not words:
            continue
        direction = words[1].lower() if len(words) > 1 else "asc"
        if len(words) > 2 or direction not in ("asc", "desc"):
            raise filters.FilterSyntaxError(part.strip(), 0)
        order.append((resolve(form, words[0], targets), direction == "desc"))
    return order


def _sort_key(column, ctx):
    value = comparable(column.type, column.get(ctx))
    return (value is not None, value if value is not None else "")


def _window(rows, data, cap):
    """TopRowCount caps the result, then StartRow/Limit page it; no page exceeds the cap."""
    top = as_int(ci_get(data, "TopRowCount"))
    if top > 0:
        rows = rows[:top]
    start = max(as_int(ci_get(data, "StartRow")), 0)
    limit = as_int(ci_get(data, "Limit"))
    limit = cap if limit <= 0 or limit > cap else limit
    return rows[start : start + limit]


# --- reading records and expanding their rows -------------------------------------------------


def _contexts(op, form, tree, needed):
    records = Record.objects.filter(tenant_id=op.tenant_id, form=form.form_id).filter(_prefilter(form, tree))
    plan = _expansion(form, needed)
    for row in records.order_by("id").values_list(*store.ROW_COLUMNS).iterator(chunk_size=2000):
        yield from _expand(store.doc_from_row(form, row), plan)


def _expansion(form, needed):
    """[(top entity key, [child keys])] to expand, parents included for needed children."""
    needed = set(needed) - {None}
    needed |= {form.entity(key).parent for key in needed if form.entity(key).parent}
    return [
        (top.key, [c.key for c in form.child_entities(top.key) if c.key in needed])
        for top in form.top_entities()
        if top.key in needed
    ]


def _expand(doc, plan):
    contexts = [{None: doc}]
    for top, children in plan:
        grown = []
        for ctx in contexts:
            for row in doc.get(top) or [{}]:
                expanded = [{**ctx, top: row}]
                for child in children:
                    expanded = [{**c, child: link} for c in expanded for link in row.get(child) or [{}]]
                grown += expanded
        contexts = grown
    return contexts


def _prefilter(form, tree):
    """A Q narrowing the records by the filter's top-level conditions on indexed columns."""
    conditions = tree.items if isinstance(tree, filters.And) else [tree] if tree is not None else []
    query = Q()
    for condition in conditions:
        query &= _column_condition(form, condition)
    return query


def _column_condition(form, condition):
    if isinstance(condition, filters.InList) and isinstance(condition.operand, filters.FieldName):
        column, convert = _column(form, condition.operand.name)
        if column is None or condition.negated:
            return Q()
        values = [convert(item.value) for item in condition.items if isinstance(item, filters.Literal)]
        if len(values) == len(condition.items) and None not in values:
            return Q(**{f"{column}__in": values})
        return Q()
    if not isinstance(condition, filters.Compare) or condition.op not in LOOKUPS:
        return Q()
    if not (isinstance(condition.left, filters.FieldName) and isinstance(condition.right, filters.Literal)):
        return Q()
    column, convert = _column(form, condition.left.name)
    value = convert(condition.right.value) if column else None
    return Q(**{f"{column}__{LOOKUPS[condition.op]}": value}) if value is not None else Q()


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


def _moment(value):
    try:
        return text_moment(literal_for(DATETIME, value))
    except BadValue:
        return None


def _integer(value):
    try:
        number = Decimal(str(value))
    except ArithmeticError:
        return None
    return int(number) if number == number.to_integral_value() else None


def _status(value):
    text = str(value or "").strip().upper()
    return text if len(text) == 1 else None
