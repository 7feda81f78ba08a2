"""Exports larger than the limit: queued, built by the task, shown with progress, downloaded once ready."""

import io
from datetime import timedelta

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from syncjobs.exports import background
from syncjobs.models import ExportFile, ExportStatus, RunStatus, SyncRun
from syncjobs.resources import SyncRunResource
from syncjobs.tasks import build_export
from tests.syncjobs.exporting import export_form
from tests.syncjobs.factories import make_flow

pytestmark = pytest.mark.django_db
XLSX_FORMAT = 1


@pytest.fixture(autouse=True)
def small_limit(settings, tmp_path, monkeypatch):
    settings.INTEGRATION_HUB_EXPORT_IN_BACKGROUND_ROWS = 5
    settings.DATA_DIR = tmp_path
    monkeypatch.setattr("django_q.conf.Conf.SYNC", True)


@pytest.fixture
def runs():
    flow = make_flow()
    SyncRun.objects.bulk_create(
        SyncRun(flow=flow, status=RunStatus.SUCCEEDED if index % 4 else RunStatus.FAILED, created_count=index)
        for index in range(12)
    )
    return SyncRun.objects.all()


def ask(client, query="", **headers):
    url = reverse("admin:syncjobs_syncrun_export") + query
    return client.post_form(url, export_form(SyncRunResource, XLSX_FORMAT), **headers)


def test_a_large_export_is_queued_and_its_page_shows_it_waiting(finance_client, runs):
    response = ask(finance_client, HTTP_ACCEPT_LANGUAGE="zh-hans")
    job = ExportFile.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:syncjobs_syncrun_export_progress", args=[job.pk])
    assert (job.status, job.language, job.file_format) == (ExportStatus.QUEUED, "zh-hans", "xlsx")
    page = finance_client.get(response["Location"]).content.decode()
    assert 'http-equiv="refresh"' in page and "Queued" in page


def test_the_task_builds_the_filtered_list_in_the_asker_s_language(
    finance_client, runs, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = ask(finance_client, "?status__exact=succeeded", HTTP_ACCEPT_LANGUAGE="zh-hans")
    job = ExportFile.objects.get()
    assert (job.status, job.rows_total, job.rows_done) == (ExportStatus.DONE, 9, 9)

    page = finance_client.get(response["Location"]).content.decode()
    download = reverse("admin:syncjobs_syncrun_export_download", args=[job.pk])
    assert download in page and 'http-equiv="refresh"' not in page
    file = finance_client.get(download)
    assert file["Content-Disposition"].startswith("attachment")
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(file.streaming_content))).active
    rows = list(sheet.values)
    assert sheet.title == "运行" and "创建数" in rows[0]
    assert len(rows) == 10 and {row[rows[0].index("状态")] for row in rows[1:]} == {"成功"}


def test_only_the_person_who_asked_sees_the_export(finance_client, admin_client_csrf, runs):
    ask(finance_client)
    job = ExportFile.objects.get()
    ExportFile.objects.filter(pk=job.pk).update(status=ExportStatus.DONE)
    for view in ("progress", "download"):
        url = reverse(f"admin:syncjobs_syncrun_export_{view}", args=[job.pk])
        assert admin_client_csrf.get(url).status_code == 404


def test_a_file_not_ready_is_not_offered(finance_client, runs):
    ask(finance_client)
    job = ExportFile.objects.get()
    assert (
        finance_client.get(reverse("admin:syncjobs_syncrun_export_download", args=[job.pk])).status_code
        == 404
    )


def test_an_export_within_the_limit_is_answered_at_once(finance_client, runs):
    response = ask(finance_client, "?status__exact=failed")
    assert response.status_code == 200 and not ExportFile.objects.exists()


def test_a_redelivered_task_finds_the_export_taken(finance_client, runs, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        ask(finance_client)
    job = ExportFile.objects.get()
    assert build_export(job.pk) is None
    assert ExportFile.objects.get().status == ExportStatus.DONE


def test_an_export_that_cannot_be_built_says_why(finance_client, runs):
    ask(finance_client)
    ExportFile.objects.update(query={"no_such_field__exact": ["1"]})
    build_export(ExportFile.objects.get().pk)
    job = ExportFile.objects.get()
    assert job.status == ExportStatus.FAILED and job.message
    page = finance_client.get(reverse("admin:syncjobs_syncrun_export_progress", args=[job.pk])).content
    assert b'class="errornote"' in page


def test_staff_without_the_view_permission_cannot_open_an_export(finance_client, staff_client, runs):
    ask(finance_client)
    job = ExportFile.objects.get()
    url = reverse("admin:syncjobs_syncrun_export_progress", args=[job.pk])
    assert staff_client.get(url).status_code == 403


def test_exports_finished_a_week_ago_are_forgotten_with_their_files(
    finance_client, runs, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        ask(finance_client)
    job = ExportFile.objects.get()
    assert background.file_path(job).exists()
    assert background.prune(now=timezone.now() + timedelta(days=6)) == 0
    assert background.prune(now=timezone.now() + timedelta(days=8)) == 1
    assert not background.file_path(job).exists() and not ExportFile.objects.exists()
