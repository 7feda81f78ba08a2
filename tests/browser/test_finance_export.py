"""A finance reviewer working in Chinese downloads the failed records as a workbook and opens it."""

from datetime import datetime
from io import BytesIO

import openpyxl
import pytest
from django.conf import settings

from syncjobs.models import SyncRecord

pytestmark = pytest.mark.browser
TYPED_BY_HAND = '=HYPERLINK("http://evil.example","点击")'


def test_a_finance_export_opens_with_typed_cells_chinese_headers_and_no_live_formula(
    journey, finance_user, customers, failures
):
    failed = failures.first()
    # A number someone typed into the CRM as a formula, as it would reach the audit trail.
    SyncRecord.objects.filter(pk=failed.pk).update(source_number=TYPED_BY_HAND)
    journey.page.context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": "zh-hans", "url": journey.base_url}]
    )
    journey.log_in("fiona")

    page = journey.open("/admin/syncjobs/syncrecord/export/?status__exact=failed")
    # The field chooser in Chinese, the library's own words included.
    assert page.locator("label", has_text="源编号").count() >= 1
    assert page.locator("label", has_text="全选").count() == 1
    page.locator("select[name='format']").select_option(label="xlsx")
    journey.shot("export-form")
    with page.expect_download() as download:
        page.click("input[type=submit]")
    book = openpyxl.load_workbook(BytesIO(open(download.value.path(), "rb").read()))

    sheet = book.active
    assert sheet.title == "记录"
    header = [cell.value for cell in sheet[1]]
    assert {"ID", "运行", "源编号", "状态", "尝试次数", "创建时间"} <= set(header)
    rows = [dict(zip(header, row, strict=True)) for row in sheet.iter_rows(min_row=2)]
    assert len(rows) == failures.count()
    mine = next(row for row in rows if row["ID"].value == failed.pk)
    assert mine["状态"].value == "失败"
    assert isinstance(mine["ID"].value, int) and isinstance(mine["尝试次数"].value, int)
    assert isinstance(mine["创建时间"].value, datetime) and mine["创建时间"].is_date
    assert mine["源编号"].value == TYPED_BY_HAND and mine["源编号"].data_type == "s"
    assert not [cell.coordinate for row in sheet.iter_rows() for cell in row if cell.data_type == "f"]


def test_a_large_export_is_built_in_the_background_and_downloaded_from_its_page(
    journey, finance_user, customers, failures, settings, tmp_path
):
    settings.INTEGRATION_HUB_EXPORT_IN_BACKGROUND_ROWS = 1
    settings.DATA_DIR = tmp_path
    journey.log_in("fiona")

    page = journey.open("/admin/syncjobs/syncrecord/export/")
    page.locator("select[name='format']").select_option(label="xlsx")
    page.click("input[type=submit]")
    page.wait_for_selector("a.hub-export-download")  # tasks run inline: the page says it is ready
    assert f"{failures.count()} of {failures.count()} rows written" in page.inner_text(".hub-export-status")
    journey.shot("export-ready")
    with page.expect_download() as download:
        page.click("a.hub-export-download")

    sheet = openpyxl.load_workbook(BytesIO(open(download.value.path(), "rb").read())).active
    assert sheet.max_row == failures.count() + 1
    assert not [cell.coordinate for row in sheet.iter_rows() for cell in row if cell.data_type == "f"]
