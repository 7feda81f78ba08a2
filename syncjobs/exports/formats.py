"""Export formats for the admin: audit files for people, configuration files for round trips.

Audit files (runs, records, cross-references) are read by finance in a spreadsheet: a CSV in
UTF-8 with a byte-order mark (without it Excel reads the Chinese as another code page), a workbook
with typed numbers and dates on a sheet named for what it holds, and no cell a spreadsheet would
run (see ``cells``). Configuration files (connectors, flows, value maps) are read back by the
importer, so their cells are written exactly as exported, never escaped: the library's own
escaping (``IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT``) strips one ``=`` and turns every cell into
text, and is bypassed by every format here.
"""

import csv
import io
import re
from datetime import date, datetime
from decimal import Decimal

from django.utils.translation import gettext as _
from import_export.formats.base_formats import CSV, JSON, XLSX
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from syncjobs.exports.cells import append_typed_row, csv_text, local_naive, typed_cell

BOM = "\ufeff"
# Excel refuses these in sheet names, and names longer than 31 characters.
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_WIDTH_SAMPLE = 200


def sheet_title(title):
    """A name Excel accepts for a sheet: ``title`` without []:*?/\\, at most 31 characters."""
    cleaned = _SHEET_FORBIDDEN.sub("-", str(title or "")).strip("'")[:31]
    return cleaned or _("Export")[:31]


def csv_cell(value):
    """A native value as CSV text: local dates, plain numbers, neutralised texts."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, datetime):
        return local_naive(value).strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int | float | Decimal):
        return str(value)
    return csv_text(str(value))


def workbook_bytes(dataset):
    """``dataset`` as an .xlsx file: one named sheet, a bold frozen header, typed cells."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(sheet_title(dataset.title))
    sheet.freeze_panes = "A2"
    for index, width in enumerate(_column_widths(dataset), start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    header = [typed_cell(WriteOnlyCell(sheet), str(name)) for name in dataset.headers]
    for cell in header:
        cell.font = Font(bold=True)
    sheet.append(header)
    for row in dataset:
        append_typed_row(sheet, row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _column_widths(dataset):
    """Widths from the header and the first rows, so dates never show as ####."""
    widths = [_width(name) for name in dataset.headers]
    for row in dataset[:_WIDTH_SAMPLE]:
        widths = [max(width, _width(value)) for width, value in zip(widths, row, strict=False)]
    return [min(width + 2, 60) for width in widths]


def _width(value):
    if isinstance(value, datetime):
        return 19
    text = "" if value is None else str(value)
    # A Chinese character takes about two columns.
    return sum(2 if ord(char) > 0x2E7F else 1 for char in text)


class AuditCSV(CSV):
    """CSV for people: BOM, local dates, neutralised texts."""

    def export_data(self, dataset, **kwargs):
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow([csv_text(str(name)) for name in dataset.headers])
        writer.writerows([csv_cell(value) for value in row] for row in dataset)
        return BOM + buffer.getvalue()


class AuditXLSX(XLSX):
    """A workbook for people: typed numbers and local dates on a sheet named for the data."""

    def export_data(self, dataset, **kwargs):
        return workbook_bytes(dataset)


class ConfigJSON(JSON):
    """JSON exactly as exported (the library's formula escaping bypassed)."""

    def export_data(self, dataset, **kwargs):
        return dataset.export(self.get_title(), **kwargs)


class ConfigCSV(CSV):
    """CSV exactly as exported, without a BOM, so the importer reads back the same cells."""

    def export_data(self, dataset, **kwargs):
        return dataset.export(self.get_title(), **kwargs)


class ConfigXLSX(XLSX):
    """A workbook whose texts are typed text cells, so ``=…`` reads back as written."""

    def export_data(self, dataset, **kwargs):
        return workbook_bytes(dataset)
