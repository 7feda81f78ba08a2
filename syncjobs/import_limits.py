"""How big an import file may be, and file formats that refuse a longer file before reading it whole.

django-import-export reads any upload in full and keeps every row's result in memory: a 52 MB
JSON was accepted, and a 1.5 MB XLSX holding 300,000 rows took the server past 3 GB. The size
is checked on upload; the rows are counted while streaming (CSV, XLSX) and the file is refused
at the first row past the limit, before a dataset is built.

Settings (read here only): ``INTEGRATION_HUB_IMPORT_MAX_BYTES`` and ``INTEGRATION_HUB_IMPORT_MAX_ROWS``.
"""

import csv
import io
import itertools
from dataclasses import dataclass

from django.conf import settings
from import_export.formats import base_formats

DEFAULT_MAX_BYTES = 5 * 1024 * 1024
DEFAULT_MAX_ROWS = 50_000


@dataclass(frozen=True)
class ImportLimits:
    max_bytes: int
    max_rows: int


def import_limits():
    """The limits in force: the settings, or 5 MB and 50,000 rows."""
    return ImportLimits(
        max_bytes=int(getattr(settings, "INTEGRATION_HUB_IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES)),
        max_rows=int(getattr(settings, "INTEGRATION_HUB_IMPORT_MAX_ROWS", DEFAULT_MAX_ROWS)),
    )


class TooManyRowsError(ValueError):
    """The file holds more data rows than ``limit``."""

    def __init__(self, limit):
        super().__init__(f"more than {limit} rows")
        self.limit = limit


def _refuse_beyond(rows, limit):
    """Count ``rows`` (an iterator, header excluded) up to one past ``limit``; raise if it gets there."""
    if sum(1 for _row in itertools.islice(rows, limit + 1)) > limit:
        raise TooManyRowsError(limit)


class LimitedCSV(base_formats.CSV):
    def create_dataset(self, in_stream, **kwargs):
        text = in_stream.decode(self.encoding or "utf-8-sig") if isinstance(in_stream, bytes) else in_stream
        rows = csv.reader(io.StringIO(text))
        next(rows, None)
        _refuse_beyond(rows, import_limits().max_rows)
        return super().create_dataset(in_stream, **kwargs)


class LimitedJSON(base_formats.JSON):
    # A JSON file is parsed whole by any reader; the size limit bounds it, the rows are counted after.
    def create_dataset(self, in_stream, **kwargs):
        dataset = super().create_dataset(in_stream, **kwargs)
        if dataset.height > import_limits().max_rows:
            raise TooManyRowsError(import_limits().max_rows)
        return dataset


class LimitedXLSX(base_formats.XLSX):
    def create_dataset(self, in_stream):
        import openpyxl

        book = openpyxl.load_workbook(io.BytesIO(in_stream), read_only=True, data_only=True)
        try:
            rows = book.active.iter_rows(min_row=2, values_only=True)
            _refuse_beyond(rows, import_limits().max_rows)
        finally:
            book.close()
        return super().create_dataset(in_stream)
