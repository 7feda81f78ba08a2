"""Running a query: select records, expand entry rows, filter, order, page, project.

Conditions on indexed columns are answered in SQL (``reading``); the rest of the filter
is evaluated in Python over the expanded rows.
"""

from sandbox.k3cloud import filters, messages
from sandbox.k3cloud.metadata import get_form
from sandbox.k3cloud.protocol import as_int, ci_get
from sandbox.k3cloud.query import reading
from sandbox.k3cloud.query.columns import Targets, UnknownField, resolve
from sandbox.k3cloud.query.predicates import FilterError, compile_filter
from sandbox.k3cloud.replies import MSG_EXCEPTION, MSG_FORM_EMPTY, Reply, query_failure
from sandbox.k3cloud.values import comparable

DEFAULT_ROW_CAP = 2000


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
        selection, residual = reading.split_filter(form, tree)
        predicate = compile_filter(
            residual, {n: resolve(form, n, targets) for n in filters.field_names(tree)}
        )
        order = _order(form, ci_get(data, "OrderString"), targets)
    except (UnknownField, FilterError) as error:
        raise QueryError(str(error), error.msg_code) from error
    except filters.FilterSyntaxError as error:
        raise QueryError(str(error), MSG_EXCEPTION) from error
    needed = {c.entity for c in selected + [c for c, _ in order]} | _filter_entities(form, tree, targets)
    plan = _expansion(form, needed)
    docs = reading.documents(op.tenant_id, form, selection)
    matched = [ctx for doc in docs for ctx in _expand(doc, plan) if predicate(ctx) is True]
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
