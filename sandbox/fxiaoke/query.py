"""``data/query``: parse ``search_query_info``, run it, page it.

Conditions on the indexed columns (``_id``, ``create_time``, ``last_modified_time``,
``life_status``) and orders on them run in SQL, so ``_id GT`` cursor pulls and watermark
pulls stay fast on tens of thousands of records; every other condition is evaluated in
Python on the records SQL returns, streaming when the order allows it.

Sandbox choices where the platform is silent [I]: voided records are left out unless a filter
names ``life_status`` (clients query ``life_status EQ invalid`` for voids); without ``orders``
records come newest change first (``last_modified_time`` descending); ``_id`` is always
returned, even when ``fieldProjection`` leaves it out.
"""

from dataclasses import dataclass, field
from functools import cmp_to_key

from django.db.models import Q
from django.db.models.fields.json import KT
from django.db.models.lookups import In

from sandbox.fxiaoke import operators
from sandbox.fxiaoke.errors import OFFSET_OUT_OF_RANGE, ApiError, illegal_query, missing
from sandbox.fxiaoke.models import Record
from sandbox.fxiaoke.schema.fields import REFERENCE_TYPES
from sandbox.fxiaoke.values import unknown_field

MAX_LIMIT = 100
MAX_OFFSET = 10000
# Fields copied into indexed columns of ``Record``: conditions and orders on them run in SQL.
COLUMNS = {
    "_id": "object_id",
    "create_time": "create_time",
    "last_modified_time": "last_modified_time",
    "life_status": "life_status",
}
SQL_OPERATORS = frozenset({"EQ", "N", "GT", "GTE", "LT", "LTE", "IN", "NIN", "BETWEEN", "NBETWEEN"})
DEFAULT_ORDER = [("last_modified_time", False)]


@dataclass
class Filter:
    field: object
    operator: str
    values: list

    @property
    def column(self):
        if self.operator in SQL_OPERATORS and self.field.api_name in COLUMNS:
            return COLUMNS[self.field.api_name]
        return None

    def test(self, data):
        value = operators.record_value(self.field, data.get(self.field.api_name))
        return operators.matches(self.operator, value, self.values, self.field.is_list)

    @property
    def narrowing(self):
        """A SQL condition that keeps every record ``test`` could accept, or None.

        Only for EQ / IN on a reference (a record id is stored as the very text it is
        compared with): a lookup of detail lines by their master then reads those lines,
        not every line of the object. A master-detail reference is a column of its own,
        indexed; another reference is read from the stored JSON, its text compared with
        plain values (a JSON key lookup's ``__in`` would wrap every listed value in a JSON
        function, evaluated again for every stored record). ``test`` still decides.
        """
        if self.operator not in ("EQ", "IN") or self.field.type not in REFERENCE_TYPES or self.field.is_list:
            return None
        values = [str(v) for v in self.values]
        if self.field.type == "master_detail":
            return Q(master_id__in=values)
        return Q(In(KT(f"data__{self.field.api_name}"), values))


@dataclass
class Query:
    filters: list
    orders: list  # [(field api name, ascending)]
    projection: list | None
    limit: int
    offset: int
    want_total: bool
    visible: object = None  # extra predicate on the record data (the caller's data permission)
    sql_filters: list = field(init=False)
    python_filters: list = field(init=False)

    def __post_init__(self):
        self.sql_filters = [f for f in self.filters if f.column]
        self.python_filters = [f for f in self.filters if not f.column]

    def matches(self, data):
        if self.visible is not None and not self.visible(data):
            return False
        return all(f.test(data) for f in self.python_filters)

    @property
    def needs_python(self):
        return bool(self.python_filters) or self.visible is not None


def parse(describe, data, directory):
    """The query of a ``data/query`` body; bad conditions and paging are error answers."""
    info = data.get("search_query_info")
    if not isinstance(info, dict):
        raise missing("search_query_info")
    limit, offset = _paging(info)
    return Query(
        filters=[_filter(describe, item, directory) for item in _list(info, "filters")],
        orders=[_order(describe, item) for item in _list(info, "orders") or _list(info, "order")],
        projection=_projection(describe, info.get("fieldProjection")),
        limit=limit,
        offset=offset,
        want_total=_want_total(data, info),
    )


def _list(info, key):
    value = info.get(key) or []
    if not isinstance(value, list):
        raise illegal_query(f"search_query_info.{key} must be a list")
    return value


def _paging(info):
    limit, offset = info.get("limit"), info.get("offset", 0)
    if limit is None:
        raise missing("search_query_info.limit")
    if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= MAX_LIMIT:
        raise illegal_query(f"limit must be a whole number from 1 to {MAX_LIMIT}, got {limit!r}")
    if isinstance(offset, bool) or not isinstance(offset, int) or offset < 0:
        raise illegal_query(f"offset must be a whole number from 0, got {offset!r}")
    if offset > MAX_OFFSET:
        # [D] the documented answer, literally.
        raise ApiError(OFFSET_OUT_OF_RANGE, "offset out of range 10000", "offset 不能超过10000")
    if offset % limit:
        # The code is the documented paging code; the message is the sandbox's [invented].
        raise ApiError(
            OFFSET_OUT_OF_RANGE,
            f"offset must be a multiple of limit (offset {offset}, limit {limit})",
            "offset 必须是 limit 的整数倍",
        )
    return limit, offset


def _filter(describe, item, directory):
    if not isinstance(item, dict):
        raise illegal_query("each filter is an object with field_name, operator and field_values")
    name, operator, values = item.get("field_name"), item.get("operator"), item.get("field_values")
    field_ = describe.fields.get(name) if isinstance(name, str) else None
    if field_ is None:
        raise unknown_field(describe.api_name, name)
    if not isinstance(values, list):
        if operator not in ("IS", "ISN") or values is not None:
            raise illegal_query(f'field_values of {name} must be a list, e.g. ["1"]')
        values = []
    operators.check(field_, operator, values)
    if field_.type == "employee":
        # Employees are matched by openUserId, whichever id form the filter uses.
        values = [getattr(directory.employee(str(v)), "open_user_id", v) for v in values]
    return Filter(field_, operator, operators.parse_values(field_, values))


def _order(describe, item):
    name = item.get("fieldName") if isinstance(item, dict) else None
    if not isinstance(name, str) or name not in describe.fields:
        raise unknown_field(describe.api_name, name)
    return name, item.get("isAsc", True) is not False


def _projection(describe, names):
    if not names:
        return None
    if not isinstance(names, list):
        raise illegal_query("fieldProjection must be a list of field names")
    for name in names:
        if not isinstance(name, str) or name not in describe.fields:
            raise unknown_field(describe.api_name, name)
    return ["_id", *[n for n in names if n != "_id"]]


def _want_total(data, info):
    """Totals are on unless turned off; the docs name three switches, all honoured."""
    for holder in (data, info):
        if "find_explicit_total_num" in holder:
            return str(holder["find_explicit_total_num"]).lower() != "false"
    if "returnTotalNum" in data:
        return str(data["returnTotalNum"]) in ("1", "2")
    if "need_return_count_num" in data:
        return str(data["need_return_count_num"]).lower() == "true"
    return True


def run(tenant, describe, query):
    """The page of record data the query asks for, and the total (0 when not wanted)."""
    rows = Record.objects.filter(tenant=tenant, api_name=describe.api_name)
    rows = _narrow(rows, query)
    orders = query.orders or DEFAULT_ORDER
    end = query.offset + query.limit
    if not all(name in COLUMNS for name, _asc in orders):
        matched = [d for d in rows.values_list("data", flat=True) if query.matches(d)]
        matched.sort(key=cmp_to_key(_comparator(describe, orders)))
        return matched[query.offset : end], len(matched) if query.want_total else 0
    rows = rows.order_by(*_sql_order(orders))
    if not query.needs_python:
        total = rows.count() if query.want_total else 0
        return list(rows.values_list("data", flat=True)[query.offset : end]), total
    return _stream(rows, query, end)


def _stream(rows, query, end):
    page, seen = [], 0
    for data in rows.values_list("data", flat=True).iterator(chunk_size=500):
        if not query.matches(data):
            continue
        if query.offset <= seen < end:
            page.append(data)
        seen += 1
        if seen >= end and not query.want_total:
            break
    return page, seen if query.want_total else 0


def _narrow(rows, query):
    if not any(f.field.api_name == "life_status" for f in query.filters):
        rows = rows.exclude(life_status="invalid")
    for f in query.sql_filters:
        rows = rows.filter(_condition(f.column, f.operator, f.values))
    for f in query.python_filters:
        if f.narrowing is not None:
            rows = rows.filter(f.narrowing)
    return rows


def _condition(column, operator, values):
    first = values[0] if values else None
    lookups = {
        "EQ": Q(**{column: first}),
        "N": ~Q(**{column: first}),
        "GT": Q(**{f"{column}__gt": first}),
        "GTE": Q(**{f"{column}__gte": first}),
        "LT": Q(**{f"{column}__lt": first}),
        "LTE": Q(**{f"{column}__lte": first}),
        "IN": Q(**{f"{column}__in": values}),
        "NIN": ~Q(**{f"{column}__in": values}),
    }
    if operator in ("BETWEEN", "NBETWEEN"):
        between = Q(**{f"{column}__gte": values[0], f"{column}__lte": values[1]})
        return between if operator == "BETWEEN" else ~between
    return lookups[operator]


def _sql_order(orders):
    terms = [COLUMNS[name] if asc else "-" + COLUMNS[name] for name, asc in orders]
    if not any(name == "_id" for name, _asc in orders):
        terms.append("object_id" if orders[-1][1] else "-object_id")
    return terms


def _comparator(describe, orders):
    keys = [*orders, ("_id", orders[-1][1])]

    def compare(a, b):
        for name, asc in keys:
            field_ = describe.fields[name]
            left = operators.record_value(field_, a.get(name))
            right = operators.record_value(field_, b.get(name))
            result = _compare_values(left, right)
            if result:
                return result if asc else -result
        return 0

    return compare


def _compare_values(left, right):
    # Empty values sort first, as in the platform's document store [I].
    if left is None or right is None:
        return (left is not None) - (right is not None)
    if isinstance(left, list):
        left, right = ",".join(left), ",".join(right)
    return (left > right) - (left < right)
