"""The one rule for cells a spreadsheet could run as a formula, and typed cells for workbooks.

Spreadsheet programs treat a cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return as a formula (OWASP, "CSV Injection"). A workbook keeps its texts as typed text cells, which
no program evaluates, so nothing in them needs changing; a CSV file has no types, so such a text
gets a leading apostrophe, which spreadsheets read as "this is text" and hide. Numbers and dates
are never texts here, so a negative amount stays a number.
"""

from datetime import datetime
from decimal import Decimal

from django.utils import timezone
from openpyxl.cell import WriteOnlyCell

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def could_be_formula(text):
    """Whether a spreadsheet would read ``text`` as a formula."""
    return text.startswith(FORMULA_STARTS)


def csv_text(value):
    """A text for a CSV cell: one a spreadsheet would run gets an apostrophe in front."""
    return "'" + value if could_be_formula(value) else value


def local_naive(value):
    """An aware datetime as the business time zone's wall clock (workbooks have no time zones)."""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return value.replace(tzinfo=None)


def cell_value(value):
    """A value a workbook cell stores with its type: numbers as numbers, datetimes local."""
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, datetime):
        return local_naive(value)
    return value


def typed_cell(cell, value):
    """Fill an openpyxl cell with ``value``'s type; a text stays a text, never a formula."""
    cell.value = cell_value(value)  # openpyxl gives dates and datetimes a date format
    if isinstance(cell.value, str):
        cell.data_type = "s"
    return cell


def append_typed_row(sheet, values):
    """Add a row to a normal or write-only worksheet, each value keeping its type."""
    sheet.append([_cell(sheet, cell_value(value)) for value in values])


def _cell(sheet, value):
    # openpyxl gives every cell a type from its value and makes a text starting with "=" a
    # formula; only those need a cell of their own (building one per value doubles the time).
    if isinstance(value, str) and value.startswith("="):
        return typed_cell(WriteOnlyCell(sheet), value)
    return value
