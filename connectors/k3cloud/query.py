"""ExecuteBillQuery / BillQuery: request bodies, rows as dicts, and paging by StartRow/Limit."""

# The server caps Limit at 2000 by default. Asking for more would return a short first page
# that looks like the end of the data, so pages never ask for more than this.
MAX_PAGE_SIZE = 2000


def field_key_list(field_keys):
    """``"FID, FNumber"`` or ``["FID", "FNumber"]`` -> ``["FID", "FNumber"]``."""
    if isinstance(field_keys, str):
        field_keys = field_keys.split(",")
    keys = [key.strip() for key in field_keys if key and key.strip()]
    if not keys:
        raise ValueError("a query needs at least one field key")
    return keys


def query_body(form_id, keys, filter_string, order_string, start_row, limit):
    """The ``data`` of one page. TopRowCount stays 0: clients disagree how it combines with
    StartRow, so a row cap is applied by the client instead."""
    return {
        "FormId": form_id,
        "FieldKeys": ",".join(keys),
        "FilterString": filter_string or "",
        "OrderString": order_string or "",
        "TopRowCount": 0,
        "StartRow": start_row,
        "Limit": limit,
    }


def quote(value):
    """A FilterString literal: ``'O''Brien'``."""
    return "'" + str(value).replace("'", "''") + "'"


def in_condition(key, values):
    """A FilterString ``key in ('a','b')`` listing ``values`` as literals."""
    return f"{key} in ({','.join(quote(v) for v in values)})"


def rows_as_dicts(payload, keys):
    """Rows of either service as dicts keyed by the field keys, in FieldKeys order.

    ExecuteBillQuery answers lists (columns in FieldKeys order); BillQuery answers dicts.
    """
    rows = payload if isinstance(payload, list) else []
    for row in rows:
        if isinstance(row, dict):
            yield {key: _lookup(row, key) for key in keys}
        else:
            yield dict(zip(keys, row, strict=False))


def _lookup(row, key):
    if key in row:
        return row[key]
    lowered = key.lower()
    return next((value for name, value in row.items() if name.lower() == lowered), None)


def paged(fetch_page, page_size=MAX_PAGE_SIZE, max_rows=None):
    """Yield rows page by page until a short page (or ``max_rows``); never holds more than a page.

    ``fetch_page(start_row, limit)`` returns the list of rows of one page.
    """
    page_size = max(1, min(int(page_size), MAX_PAGE_SIZE))
    start = 0
    while max_rows is None or start < max_rows:
        limit = page_size if max_rows is None else min(page_size, max_rows - start)
        rows = fetch_page(start, limit)
        yield from rows
        if len(rows) < limit:
            return
        start += limit
