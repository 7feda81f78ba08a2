"""Paging plan for ``data/query``: which ``search_query_info`` to send next, and when to stop.

The CRM caps ``limit`` at 100 and ``offset`` at 10,000 (beyond it: errorCode 10013). A query
sorted by ``_id`` (the default) therefore pages by cursor from the start: offset 0, sorted
by ``_id`` ascending, with ``_id GT <last id>``; it reads any number of records, each once,
even while records are added. A query with other orders pages by offset while the offset
rule allows, then carries on by ``_id`` cursor over the same filters and skips the records
already returned: every record still comes exactly once, but those past the first ~10,000
follow in ``_id`` order, and the first ~10,000 are read a second time to be skipped.
"""

from django.utils.translation import gettext

from connectors.errors import PermanentError

MAX_LIMIT = 100
MAX_OFFSET = 10000
ID_FIELD = "_id"


def normalize_filter(item):
    """A filter in the CRM's form from a dict or a ``(field, operator, values)`` tuple.

    ``field_values`` is always a list. Operators are not checked here: the CRM's own answer
    to a wrong operator is what the user should see.
    """
    if isinstance(item, dict):
        field, operator, values = item["field_name"], item["operator"], item["field_values"]
    else:
        field, operator, values = item
    if not isinstance(values, list | tuple):
        values = [values]
    return {"field_name": field, "field_values": list(values), "operator": operator}


def normalize_order(item):
    """An order in the CRM's form from a dict, ``"field"``/``"-field"`` or ``(field, ascending)``."""
    if isinstance(item, dict):
        return {"fieldName": item["fieldName"], "isAsc": bool(item.get("isAsc", True))}
    if isinstance(item, str):
        descending = item.startswith("-")
        return {"fieldName": item.lstrip("-"), "isAsc": not descending}
    field, ascending = item
    return {"fieldName": field, "isAsc": bool(ascending)}


BY_ID = {"fieldName": ID_FIELD, "isAsc": True}


class QueryPlan:
    """Produces one ``search_query_info`` after another; feed each page back with ``take``.

    Usage::

        plan = QueryPlan(filters, orders, projection, page_size)
        while (info := plan.next_query()) is not None:
            yield from plan.take(fetch(info))
    """

    def __init__(self, filters=None, orders=None, field_projection=None, page_size=MAX_LIMIT):
        if page_size < 1:
            raise ValueError("page_size must be at least 1")
        self.limit = min(int(page_size), MAX_LIMIT)
        self.filters = [normalize_filter(f) for f in filters or []]
        orders = [normalize_order(o) for o in orders or []]
        self.by_cursor = orders in ([], [BY_ID])
        # _id breaks ties, so offset pages never overlap or skip among equal sort values.
        self.orders = orders if any(o["fieldName"] == ID_FIELD for o in orders) else [*orders, BY_ID]
        self.projection = _with_id(field_projection)
        self.offset = 0
        self.cursor = None
        self.seen = None if self.by_cursor else set()
        self.done = False

    @property
    def max_offset(self):
        """The largest offset the CRM accepts: a multiple of ``limit`` and at most 10,000."""
        return MAX_OFFSET - MAX_OFFSET % self.limit

    def next_query(self):
        """The next ``search_query_info``, or None when every page has been read."""
        if self.done:
            return None
        info = {"limit": self.limit, "offset": 0 if self.by_cursor else self.offset}
        if self.by_cursor:
            cursor = [normalize_filter((ID_FIELD, "GT", [self.cursor]))] if self.cursor else []
            info.update(filters=[*self.filters, *cursor], orders=[BY_ID])
        else:
            info.update(filters=list(self.filters), orders=list(self.orders))
        if self.projection is not None:
            info["fieldProjection"] = list(self.projection)
        return info

    def take(self, rows):
        """Record a page's rows; return those to hand to the caller (none twice)."""
        rows = list(rows)
        self.done = len(rows) < self.limit
        if self.by_cursor:
            self._advance_cursor(rows)
        else:
            self._advance_offset()
        if self.seen is None:
            return rows
        fresh = [row for row in rows if row.get(ID_FIELD) not in self.seen]
        self.seen.update(row.get(ID_FIELD) for row in fresh)
        return fresh

    def _advance_cursor(self, rows):
        if not rows:
            return
        last = rows[-1].get(ID_FIELD)
        if not last or last == self.cursor:
            # A page that does not move the cursor forward would repeat forever.
            raise PermanentError(
                gettext(
                    "Fxiaoke returned the same query page twice (the _id cursor did not move); the "
                    "pull stopped so it does not loop. Report this with the call log to support."
                ),
                system="fxiaoke",
            )
        self.cursor = last

    def _advance_offset(self):
        if self.done:
            return
        self.offset += self.limit
        if self.offset > self.max_offset:
            # Past the offset cap: continue by cursor over everything, skipping what was seen.
            self.by_cursor, self.cursor = True, None


def _with_id(projection):
    if projection is None:
        return None
    projection = list(projection)
    return projection if ID_FIELD in projection else [ID_FIELD, *projection]
