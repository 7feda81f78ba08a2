"""The export benchmark's steps, each run in a fresh process by ``benchmarks.child``.

``export_setup`` fills a fresh hub database with ``rows`` runs, records and cross-references;
``export_inline`` asks the console for one export and times its answer, the file itself;
``export_background`` asks for one above the background threshold, then builds it as the
queue's worker would and times both. Every request goes through the admin's export view with
a signed-in user, as a browser's would (the form, the list's queryset, the resource, the format).
"""

import csv
import io
from datetime import timedelta

import openpyxl
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import ngettext_lazy

from benchmarks import workload
from benchmarks.measure import measuring
from syncjobs.admin.base import AUDIT_FORMATS
from syncjobs.exports import background
from syncjobs.models import (
    Connector,
    CrossReference,
    ExportFile,
    RecordAction,
    RecordStatus,
    RunStatus,
    SyncFlow,
    SyncRecord,
    SyncRun,
    System,
    Trigger,
)
from syncjobs.models.bulk import insert_many
from syncjobs.resources import CrossReferenceResource, SyncRecordResource, SyncRunResource
from syncjobs.stored_messages import PluralMessage
from syncjobs.tasks import build_export

USER = "export-benchmark"
# Finance reads the files in Chinese: headers, choice labels and run messages are translated.
LANGUAGE = "zh-hans"
RESOURCES = {
    "syncrun": SyncRunResource,
    "syncrecord": SyncRecordResource,
    "crossreference": CrossReferenceResource,
}
FAILED_EVERY = 10  # one run and one record in ten failed, with a message to translate


def export_setup(spec):
    """Migrate, then ``rows`` runs, records and cross-references of one flow, and a superuser."""
    workload.prepare_database()
    get_user_model().objects.create_superuser(USER, f"{USER}@example.com", USER)
    flow = _flow()
    rows = spec["rows"]
    insert_many(SyncRun, [_run(flow, index) for index in range(rows)])
    run_ids = list(SyncRun.objects.values_list("pk", flat=True))
    insert_many(SyncRecord, [_record(flow, run_ids[index % len(run_ids)], index) for index in range(rows)])
    insert_many(CrossReference, [_cross_reference(flow, index) for index in range(rows)])
    return {name: resource._meta.model.objects.count() for name, resource in RESOURCES.items()}


def export_inline(spec):
    """One export answered at once (the background threshold is set above ``rows``), measured."""
    client = _client()
    with measuring() as figures:
        response = client.post(_url(spec["model"]), _form(spec["model"], spec["format"]))
        content = response.content
    assert response.status_code == 200, response.status_code
    return {
        "bytes": len(content),
        "rows": _rows_in(content, spec["format"]),
        "measurement": figures.as_dict(),
    }


def export_background(spec):
    """One export queued by the console, then built by ``build_export`` as the worker runs it.

    ``answer``: the console's redirect to the progress page; ``build``: the task's work until the
    file is ready. The queue's own delay before a worker picks the task up is not part of either.
    """
    client = _client()
    with measuring() as answer:
        response = client.post(_url(spec["model"]), _form(spec["model"], spec["format"]))
    assert response.status_code == 302, response.status_code
    job = ExportFile.objects.get()
    with measuring() as build:
        build_export(job.pk)
    job.refresh_from_db()
    content = background.file_path(job).read_bytes()
    job.delete()  # the next step finds the table empty again
    return {
        "status": job.status,
        "rows_total": job.rows_total,
        "rows_done": job.rows_done,
        "bytes": len(content),
        "rows": _rows_in(content, spec["format"]),
        "answer": answer.as_dict(),
        "measurement": build.as_dict(),
    }


STEPS = {"export_setup": export_setup, "export_inline": export_inline, "export_background": export_background}


# --- the requests ------------------------------------------------------------------------
def _client():
    client = Client(HTTP_HOST="localhost", HTTP_ACCEPT_LANGUAGE=LANGUAGE)
    client.force_login(get_user_model().objects.get(username=USER))
    return client


def _url(model):
    return reverse(f"admin:syncjobs_{model}_export")


def _form(model, extension):
    """The export form as a browser submits it: the format, every column ticked."""
    resource = RESOURCES[model]
    prefix = resource.__name__.lower()
    index = next(
        i for i, file_format in enumerate(AUDIT_FORMATS) if file_format().get_extension() == extension
    )
    columns = {f"{prefix}_{name}": "on" for name in resource().get_export_order()}
    return {"format": str(index), "resource": "0", **columns}


def _rows_in(content, extension):
    """Data rows in an exported file (its header aside)."""
    if extension == "csv":
        return sum(1 for _row in csv.reader(io.StringIO(content.decode("utf-8-sig")))) - 1
    book = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
    # A sheet written row by row states no dimensions: its rows are counted.
    return sum(1 for _row in book.active.iter_rows(values_only=True)) - 1


# --- the rows ----------------------------------------------------------------------------
def _flow():
    common = {"base_url": "https://example.com/", "app_id": "benchmark", "app_secret": "benchmark"}
    crm = Connector.objects.create(name="纷享销客 CRM", slug="crm", system=System.FXIAOKE, **common)
    erp = Connector.objects.create(name="金蝶云星空 ERP", slug="erp", system=System.K3CLOUD, **common)
    return SyncFlow.objects.create(
        name="客户同步",
        slug="customers",
        source_connector=crm,
        source_object="AccountObj",
        target_connector=erp,
        target_object="BD_Customer",
    )


def _moment(index):
    # A run a minute, most recent last, as a flow on a one-minute schedule leaves them.
    return timezone.now() - timedelta(minutes=100_000 - index)


def _run(flow, index):
    failed = index % FAILED_EVERY == 0
    message = failed and PluralMessage(
        ngettext_lazy("%(count)d record failed.", "%(count)d records failed.", "count"), 2
    )
    started = _moment(index)
    return SyncRun(
        flow=flow,
        trigger=Trigger.SCHEDULE,
        status=RunStatus.PARTIAL if failed else RunStatus.SUCCEEDED,
        queued_at=started,
        started_at=started,
        finished_at=started + timedelta(seconds=4),
        read_count=200,
        created_count=20,
        updated_count=170,
        unchanged_count=8,
        failed_count=2 if failed else 0,
        timings={"read": 1.2, "plan": 0.4, "write": 2.1},
        **SyncRun.message_fields(message or ""),
    )


def _record(flow, run_id, index):
    failed = index % FAILED_EVERY == 0
    return SyncRecord(
        run_id=run_id,
        flow=flow,
        source_id=f"6512a0f7c3e9b4{index:010d}",
        source_number=f"KH{index:08d}",
        source_modified_at=_moment(index),
        target_id="" if failed else str(100_000 + index),
        target_number="" if failed else f"CUST{index:06d}",
        action=RecordAction.CREATE if index % 3 else RecordAction.UPDATE,
        status=RecordStatus.FAILED if failed else RecordStatus.SUCCEEDED,
        attempts=1,
        error_field="FTaxRegisterCode" if failed else "",
        error_message="税务登记号重复：该客户已存在" if failed else "",
        source_snapshot={
            "_id": f"6512a0f7c3e9b4{index:010d}",
            "name": f"上海客户{index}号有限公司",
            "tel": "021-5555",
        },
        created_at=_moment(index),
    )


def _cross_reference(flow, index):
    return CrossReference(
        flow=flow,
        source_connector_id=flow.source_connector_id,
        source_object="AccountObj",
        source_id=f"6512a0f7c3e9b4{index:010d}",
        source_number=f"KH{index:08d}",
        target_connector_id=flow.target_connector_id,
        target_object="BD_Customer",
        target_id=str(100_000 + index),
        target_number=f"CUST{index:06d}",
        fingerprint=f"{index:064x}",
        source_digest={"name": "3f2a", "tel": "9c01", "address": "77de"},
        first_synced_at=_moment(index),
        last_synced_at=_moment(index),
    )
