"""The cell rule and the export formats, without the admin."""

from datetime import UTC, date, datetime
from decimal import Decimal
from io import BytesIO

import openpyxl
import pytest
import tablib

from syncjobs.exports.cells import could_be_formula, csv_text
from syncjobs.exports.formats import AuditCSV, AuditXLSX, ConfigCSV, ConfigJSON, csv_cell, sheet_title


@pytest.mark.parametrize("text", ["=1+1", "==1+1", "+1", "-1", "@A1", "\tx", "\rx"])
def test_a_text_a_spreadsheet_would_run_gets_an_apostrophe_in_csv(text):
    assert could_be_formula(text)
    assert csv_text(text) == "'" + text


@pytest.mark.parametrize("text", ["ACME", "客户 =1", "1-2", "", "'quoted"])
def test_other_texts_pass_unchanged(text):
    assert csv_text(text) == text


def test_csv_cells_write_numbers_plainly_and_times_in_the_business_zone():
    assert csv_cell(-5) == "-5" and csv_cell(Decimal("-1.50")) == "-1.50"
    assert csv_cell(datetime(2026, 3, 2, 17, 30, tzinfo=UTC)) == "2026-03-03 01:30:00"
    assert csv_cell(date(2026, 3, 2)) == "2026-03-02"
    assert csv_cell(None) == ""


def test_sheet_names_are_ones_excel_accepts():
    assert sheet_title("runs [a/b]: *?") == "runs -a-b-- --"
    assert len(sheet_title("x" * 40)) == 31
    assert sheet_title("") == "Export"


def test_the_audit_formats_ignore_the_library_s_escaping_setting(settings):
    settings.IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT = True
    dataset = tablib.Dataset(["=1+1", 7], headers=["text", "number"], title="Runs")
    assert AuditCSV().export_data(dataset) == "\ufefftext,number\r\n'=1+1,7\r\n"
    sheet = openpyxl.load_workbook(BytesIO(AuditXLSX().export_data(dataset))).active
    assert sheet.title == "Runs"
    assert [(cell.value, cell.data_type) for cell in sheet[2]] == [("=1+1", "s"), (7, "n")]


def test_the_configuration_formats_write_cells_exactly(settings):
    settings.IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT = True
    dataset = tablib.Dataset(["==1+1", "+VIP"], headers=["a", "b"])
    assert ConfigCSV().export_data(dataset) == "a,b\r\n==1+1,+VIP\r\n"
    assert ConfigJSON().create_dataset(ConfigJSON().export_data(dataset)).dict == dataset.dict
