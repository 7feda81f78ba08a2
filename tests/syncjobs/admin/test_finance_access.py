import csv
import io
import re

import pytest
from django.urls import reverse

from syncjobs.models import SyncRecord
from syncjobs.resources import CrossReferenceResource, SyncRecordResource, SyncRunResource
from tests.syncjobs.exporting import export_form
from tests.syncjobs.factories import (
    CANARY,
    make_cross_reference,
    make_flow,
    make_mapping,
    make_records,
    make_run,
)

pytestmark = pytest.mark.django_db
AUDIT_RESOURCES = {
    "syncrun": SyncRunResource,
    "syncrecord": SyncRecordResource,
    "crossreference": CrossReferenceResource,
}


@pytest.fixture
def world():
    flow = make_flow()
    make_mapping(flow, "FName", "name")
    run = make_run(flow, message=f"login refused for appSecret={CANARY}")
    make_records(run, 3, status="failed", error_message="duplicate number")
    SyncRecord.objects.filter(run=run).update(
        source_snapshot={"name": "ACME", "appSecret": CANARY}, response_excerpt={"password": CANARY}
    )
    make_records(run, 1, error_message=f"token corpAccessToken={CANARY} expired")
    reference = make_cross_reference(flow, "a1", "C001")
    return {"flow": flow, "run": run, "record": SyncRecord.objects.first(), "reference": reference}


def readable_urls(world):
    return [
        reverse("admin:index"),
        reverse("admin:syncjobs_syncrun_changelist"),
        reverse("admin:syncjobs_syncrun_change", args=[world["run"].pk]),
        reverse("admin:syncjobs_syncrecord_changelist"),
        reverse("admin:syncjobs_syncrecord_changelist") + "?status__exact=failed&q=duplicate",
        reverse("admin:syncjobs_syncrecord_change", args=[world["record"].pk]),
        reverse("admin:syncjobs_crossreference_changelist"),
        reverse("admin:syncjobs_crossreference_change", args=[world["reference"].pk]),
        reverse("admin:syncjobs_syncrun_export"),
        reverse("admin:syncjobs_syncrecord_export"),
        reverse("admin:syncjobs_crossreference_export"),
    ]


def forbidden_urls(world):
    flow = world["flow"]
    connector = flow.source_connector
    return [
        reverse("admin:syncjobs_connector_changelist"),
        reverse("admin:syncjobs_connector_change", args=[connector.pk]),
        reverse("admin:syncjobs_connector_add"),
        reverse("admin:syncjobs_connector_history", args=[connector.pk]),
        reverse("admin:syncjobs_connector_import"),
        reverse("admin:syncjobs_connector_export"),
        reverse("admin:syncjobs_syncflow_changelist"),
        reverse("admin:syncjobs_syncflow_change", args=[flow.pk]),
        reverse("admin:syncjobs_syncflow_import"),
        reverse("admin:syncjobs_valuemapentry_import"),
        reverse("admin:syncjobs_mappingversion_changelist"),
        reverse("admin:django_q_schedule_changelist"),
        reverse("admin:django_q_success_changelist"),
        reverse("admin:django_q_failure_changelist"),
    ]


def test_finance_reviewer_can_open_and_export_the_audit_trail(finance_client, world):
    for url in readable_urls(world):
        assert finance_client.get(url).status_code == 200, url


def test_no_page_a_finance_reviewer_opens_contains_a_secret(finance_client, world):
    for url in readable_urls(world):
        assert CANARY not in finance_client.get(url).content.decode(), url
    for name, resource in AUDIT_RESOURCES.items():
        for format_index in (0, 1):  # CSV, XLSX
            export = finance_client.post_form(
                reverse(f"admin:syncjobs_{name}_export"), export_form(resource, format_index)
            )
            assert export.status_code == 200
            assert not export["Content-Type"].startswith("text/html")
            assert CANARY.encode() not in export.content


def test_finance_exports_contain_the_records(finance_client, world):
    export = finance_client.post_form(
        reverse("admin:syncjobs_syncrecord_export"), export_form(SyncRecordResource)
    )
    body = export.content.decode()
    assert export["Content-Type"].startswith("text/csv")
    assert body.count("duplicate number") == 3
    assert "CUST000000" in body


def test_finance_exports_escape_spreadsheet_formulae(finance_client, world):
    SyncRecord.objects.filter(pk=world["record"].pk).update(error_message='=HYPERLINK("http://evil.example")')
    export = finance_client.post_form(
        reverse("admin:syncjobs_syncrecord_export"), export_form(SyncRecordResource)
    )
    cells = [cell for row in csv.reader(io.StringIO(export.content.decode("utf-8-sig"))) for cell in row]
    # The text is kept whole, behind the apostrophe spreadsheets read as "this is text".
    assert """'=HYPERLINK("http://evil.example")""" in cells
    assert not [cell for cell in cells if cell.startswith("=")]


def test_finance_reviewer_gets_403_on_connectors_flows_imports_and_the_queue(finance_client, world):
    for url in forbidden_urls(world):
        assert finance_client.get(url).status_code == 403, url


def test_finance_reviewer_gets_403_on_job_and_change_actions(finance_client, world):
    flow, connector = world["flow"], world["flow"].source_connector
    posts = [
        (reverse("admin:syncjobs_connector_test_connection", args=[connector.pk]), {}),
        (
            reverse("admin:syncjobs_syncflow_changelist"),
            {"action": "enable_flows", "_selected_action": [flow.pk]},
        ),
        (reverse("admin:syncjobs_syncflow_import"), {"format": "0"}),
        (reverse("admin:syncjobs_syncflow_process_import"), {"format": "0"}),
        (
            reverse("admin:syncjobs_crossreference_change", args=[world["reference"].pk]),
            {"target_number": "X"},
        ),
        (reverse("admin:syncjobs_crossreference_delete", args=[world["reference"].pk]), {"post": "yes"}),
    ]
    for url, data in posts:
        assert finance_client.post_form(url, data).status_code == 403, url
    world["reference"].refresh_from_db()
    assert world["reference"].target_number == "C001"


def test_finance_reviewer_sees_only_the_audit_models_on_the_index(finance_client, world):
    page = finance_client.get(reverse("admin:index")).content.decode()
    linked = set(re.findall(r'href="/admin/(\w+/\w+)/"', page))
    assert linked == {
        "syncjobs/syncrun",
        "syncjobs/syncrecord",
        "syncjobs/crossreference",
        "syncjobs/reconciliationreport",
    }


def test_staff_without_a_role_sees_nothing(staff_client, world):
    for url in readable_urls(world)[1:] + forbidden_urls(world):
        assert staff_client.get(url).status_code == 403, url


def test_runs_and_records_are_read_only_even_for_integration_admins(admin_client_csrf, world):
    record = world["record"]
    assert admin_client_csrf.get(reverse("admin:syncjobs_syncrecord_add")).status_code == 403
    response = admin_client_csrf.post_form(
        reverse("admin:syncjobs_syncrecord_change", args=[record.pk]), {"status": "succeeded"}
    )
    assert response.status_code == 403
    assert admin_client_csrf.get(reverse("admin:django_q_schedule_changelist")).status_code == 200
