"""Audit exports as finance opens them: the screen's labels, typed cells, no live formula."""

import csv
import io
from datetime import UTC, datetime

import openpyxl
import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from syncjobs.models import CrossReference, RunStatus, SyncRecord, SyncRun, Trigger
from syncjobs.resources import CrossReferenceResource, SyncRecordResource, SyncRunResource
from tests.syncjobs.exporting import export_form
from tests.syncjobs.factories import make_cross_reference, make_flow, make_records, make_run

pytestmark = pytest.mark.django_db
CSV_FORMAT, XLSX_FORMAT = 0, 1
CHINESE = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}
# 2026-03-02 17:30 UTC is 2026-03-03 01:30 in Shanghai: the business day has already turned.
FINISHED = datetime(2026, 3, 2, 17, 30, tzinfo=UTC)
FORMULA_LIKE = ["=1+1", "==1+1", "+86 138", "-1", "@SUM(A1)", "\tTAB", "\rCR"]


@pytest.fixture
def run():
    flow = make_flow()
    run = make_run(
        flow,
        trigger=Trigger.SCHEDULE,
        status=RunStatus.SUCCEEDED,
        queued_at=FINISHED,
        started_at=FINISHED,
        finished_at=FINISHED,
        read_count=600,
        created_count=600,
        updated_count=12,
    )
    make_records(run, 2, status="failed", error_message="duplicate number")
    return run


def export(client, name, resource, file_format, **headers):
    response = client.post_form(
        reverse(f"admin:syncjobs_{name}_export"), export_form(resource, file_format), **headers
    )
    assert response.status_code == 200, response.content[:500]
    return response


def csv_rows(response):
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def sheet(response):
    return openpyxl.load_workbook(io.BytesIO(response.content)).active


def test_a_run_csv_has_a_bom_chinese_headers_labels_and_business_time(finance_client, run):
    response = export(finance_client, "syncrun", SyncRunResource, CSV_FORMAT, **CHINESE)
    assert response.content.startswith(b"\xef\xbb\xbf")
    header, row = csv_rows(response)
    cells = dict(zip(header, row, strict=True))
    assert cells["创建数"] == "600" and cells["更新数"] == "12"
    assert cells["触发方式"] == "定时" and cells["状态"] == "成功"
    assert cells["流程"] == "Customers"
    assert cells["完成时间"] == "2026-03-03 01:30:00"


def test_a_run_workbook_has_typed_numbers_and_local_dates_on_a_named_sheet(finance_client, run):
    response = export(finance_client, "syncrun", SyncRunResource, XLSX_FORMAT, **CHINESE)
    rows = sheet(response)
    assert rows.title == "运行"
    header = [cell.value for cell in rows[1]]
    cells = dict(zip(header, [cell.value for cell in rows[2]], strict=True))
    assert cells["创建数"] == 600 and cells["读取数"] == 600
    assert cells["完成时间"] == datetime(2026, 3, 3, 1, 30)
    assert cells["状态"] == "成功"
    assert rows.freeze_panes == "A2"


def test_english_users_get_english_headers_and_labels(finance_client, run):
    header, row = csv_rows(export(finance_client, "syncrun", SyncRunResource, CSV_FORMAT))[:2]
    cells = dict(zip(header, row, strict=True))
    assert cells["Trigger"] == "Schedule" and cells["Status"] == "Succeeded" and cells["Created"] == "600"


def test_record_exports_show_actions_and_statuses_as_labels(finance_client, run):
    header, *rows = csv_rows(export(finance_client, "syncrecord", SyncRecordResource, CSV_FORMAT, **CHINESE))
    assert {row[header.index("状态")] for row in rows} == {"失败"}
    assert {row[header.index("运行")] for row in rows} == {str(run.pk)}


def test_only_the_ticked_columns_are_exported(finance_client, run):
    form = {
        key: value
        for key, value in export_form(SyncRunResource).items()
        if not key.startswith("syncrunresource_") or key.endswith(("_id", "_created_count"))
    }
    response = finance_client.post_form(reverse("admin:syncjobs_syncrun_export"), form, **CHINESE)
    assert csv_rows(response) == [["ID", "创建数"], [str(run.pk), "600"]]


def test_the_field_chooser_speaks_the_user_s_language(finance_client, run):
    page = finance_client.get(reverse("admin:syncjobs_syncrun_export"), **CHINESE).content.decode()
    assert "创建数" in page
    assert "Created Count" not in page


@time_machine.travel(FINISHED, tick=False)
def test_the_file_name_carries_the_business_day(finance_client, run):
    response = export(finance_client, "syncrun", SyncRunResource, CSV_FORMAT)
    assert 'filename="SyncRun-2026-03-03.csv"' in response["Content-Disposition"]


def put_formula_like_texts(run):
    SyncRecord.objects.filter(run=run).delete()
    make_records(run, len(FORMULA_LIKE))
    records = SyncRecord.objects.filter(run=run).order_by("pk")
    for record, text in zip(records, FORMULA_LIKE, strict=True):
        SyncRecord.objects.filter(pk=record.pk).update(error_message=text)
        make_cross_reference(run.flow, f"x-{record.pk}", text)
    SyncRun.objects.filter(pk=run.pk).update(message=FORMULA_LIKE[1])


AUDIT = [
    ("syncrecord", SyncRecordResource),
    ("syncrun", SyncRunResource),
    ("crossreference", CrossReferenceResource),
]


@pytest.mark.parametrize(("name", "resource"), AUDIT)
def test_csv_exports_put_an_apostrophe_before_any_text_a_spreadsheet_would_run(
    finance_client, run, name, resource
):
    put_formula_like_texts(run)
    cells = [cell for row in csv_rows(export(finance_client, name, resource, CSV_FORMAT)) for cell in row]
    for text in FORMULA_LIKE if name != "syncrun" else FORMULA_LIKE[1:2]:
        assert "'" + text in cells, text
    assert not [cell for cell in cells if cell[:1] in ("=", "+", "-", "@", "\t", "\r")]


@pytest.mark.parametrize(("name", "resource"), AUDIT)
def test_workbook_exports_keep_such_texts_exactly_as_text_cells(finance_client, run, name, resource):
    put_formula_like_texts(run)
    rows = sheet(export(finance_client, name, resource, XLSX_FORMAT))
    cells = [cell for row in rows.iter_rows() for cell in row]
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
    texts = {cell.value for cell in cells if cell.data_type == "s"}
    expected = FORMULA_LIKE if name != "syncrun" else FORMULA_LIKE[1:2]
    # openpyxl reads a lone CR in a cell back as LF; the cell is text all the same.
    assert {text.replace("\r", "\n") for text in expected} <= {t.replace("\r", "\n") for t in texts}


def add_runs(run, count):
    SyncRun.objects.exclude(pk=run.pk).delete()
    SyncRun.objects.bulk_create(SyncRun(flow=run.flow, created_count=index) for index in range(count - 1))


def add_records(run, count):
    SyncRecord.objects.all().delete()
    make_records(run, count)


@pytest.mark.parametrize(
    ("name", "resource", "add"),
    [("syncrun", SyncRunResource, add_runs), ("syncrecord", SyncRecordResource, add_records)],
)
def test_run_and_record_exports_run_the_same_queries_for_ten_rows_or_three_hundred(
    finance_client, run, name, resource, add
):
    finance_client.csrf_token()

    def queries_for(count):
        add(run, count)
        with CaptureQueriesContext(connection) as queries:
            response = export(finance_client, name, resource, XLSX_FORMAT)
        assert len(list(sheet(response).rows)) == count + 1
        return len(queries)

    assert queries_for(10) == queries_for(300)


@pytest.mark.parametrize("file_format", [CSV_FORMAT, XLSX_FORMAT])
def test_a_cross_reference_export_runs_the_same_queries_for_ten_rows_or_three_hundred(
    finance_client, run, file_format
):
    finance_client.csrf_token()

    def queries_for(count):
        CrossReference.objects.all().delete()
        CrossReference.objects.bulk_create(
            CrossReference(
                flow=run.flow,
                source_connector=run.flow.source_connector,
                source_object="AccountObj",
                source_id=f"s{index}",
                target_connector=run.flow.target_connector,
                target_object="BD_Customer",
                target_id=f"t{index}",
                target_number=f"C{index:05d}",
            )
            for index in range(count)
        )
        with CaptureQueriesContext(connection) as queries:
            response = export(finance_client, "crossreference", CrossReferenceResource, file_format)
        assert (
            len(csv_rows(response) if file_format == CSV_FORMAT else list(sheet(response).rows)) == count + 1
        )
        return len(queries)

    assert queries_for(10) == queries_for(300)
