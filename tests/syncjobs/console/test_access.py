"""Who may do what in the console: finance reviewers look, integration admins act; CSRF on every action."""

import pytest
from django.test import Client
from django.urls import reverse

from syncjobs.models import RecordIntervention, SyncRecord, SyncRun
from syncjobs.models.flow import record_mapping_version
from syncjobs.services.records import mark_records
from tests.syncjobs.factories import make_flow, make_mapping, make_records, make_run, make_value_map

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    flow = make_flow()
    make_mapping(flow, "FName", "name")
    version, _ = record_mapping_version(flow)
    make_mapping(flow, "FNumber", "account_no")
    latest, _ = record_mapping_version(flow)
    make_records(
        make_run(flow, mapping_version=version), 2, status="failed", error_code="bad", mapping_version=version
    )
    record = SyncRecord.objects.order_by("id").first()
    value_map = make_value_map("levels", {"A": "VIP"})
    return {"flow": flow, "record": record, "version": version, "latest": latest, "value_map": value_map}


def readable_by_finance(w):
    return [
        reverse("console:record_timeline", args=[w["record"].pk]),
        reverse("console:flow_failures", args=[w["flow"].pk]),
    ]


def admin_only_pages(w):
    flow, connector = w["flow"], w["flow"].target_connector
    return [
        reverse("console:record_replay", args=[w["record"].pk]),
        reverse("console:mapping_editor", args=[flow.pk]),
        reverse("console:picker_objects", args=[connector.pk]),
        reverse("console:picker_fields", args=[connector.pk]) + "?object=BD_Customer",
        reverse("console:picker_options", args=[connector.pk]) + "?form=",
        reverse("console:value_map_entries", args=[w["value_map"].pk]),
        reverse("console:mapping_version", args=[w["version"].pk]),
    ]


def actions(w):
    record, flow = w["record"], w["flow"]
    return [
        (reverse("console:record_rerun", args=[record.pk]), {}),
        (reverse("console:record_mark", args=[record.pk]), {"status": "ignored", "reason": "test data"}),
        (reverse("console:record_replay", args=[record.pk]), {"value_0": "x"}),
        (reverse("console:flow_rerun_all", args=[flow.pk]), {}),
        (reverse("console:flow_rerun_class", args=[flow.pk]), {"code": "bad", "field": ""}),
        (
            reverse("console:flow_mark", args=[flow.pk]),
            {"records": [record.pk], "status": "resolved", "reason": "ok"},
        ),
        (
            reverse("console:mapping_editor", args=[flow.pk]),
            {"rows-TOTAL_FORMS": "0", "rows-INITIAL_FORMS": "0"},
        ),
        (
            reverse("console:value_map_entries", args=[w["value_map"].pk]),
            {"entries-TOTAL_FORMS": "0", "entries-INITIAL_FORMS": "0"},
        ),
        (reverse("console:version_roll_back", args=[w["version"].pk]), {}),
        (reverse("console:resync_offer", args=[w["latest"].pk]), {}),
        (
            reverse("console:picker_refresh_fields", args=[flow.target_connector.pk]) + "?object=BD_Customer",
            {},
        ),
    ]


def test_integration_admins_open_every_page(admin_client_csrf, world):
    for url in readable_by_finance(world) + admin_only_pages(world):
        assert admin_client_csrf.get(url).status_code == 200, url


def test_finance_reviewers_see_timelines_and_failures_without_any_action(finance_client, world):
    for url in readable_by_finance(world):
        page = finance_client.get(url)
        assert page.status_code == 200, url
        html = page.content.decode()
        assert 'action="/admin/console/' not in html and 'id="rc-replay"' not in html, url


def test_finance_reviewers_are_refused_every_other_page(finance_client, world):
    for url in admin_only_pages(world):
        assert finance_client.get(url).status_code == 403, url


def test_finance_reviewers_are_refused_every_action_and_nothing_changes(finance_client, world):
    runs = SyncRun.objects.count()
    for url, data in actions(world):
        assert finance_client.post_form(url, data).status_code == 403, url
    assert SyncRun.objects.count() == runs
    assert not RecordIntervention.objects.exists()
    assert set(SyncRecord.objects.values_list("status", flat=True)) == {"failed"}
    assert world["flow"].mapping_versions.count() == 2


def test_staff_without_a_role_see_nothing(staff_client, world):
    for url in readable_by_finance(world) + admin_only_pages(world):
        assert staff_client.get(url).status_code == 403, url


def test_anonymous_visitors_are_sent_to_the_login(world):
    response = Client().get(readable_by_finance(world)[0])
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_every_action_refuses_a_post_without_the_csrf_token(admin_client_csrf, world):
    admin_client_csrf.get("/admin/")  # a session and a CSRF cookie, but no token in the form
    runs = SyncRun.objects.count()
    for url, data in actions(world):
        assert admin_client_csrf.post(url, data).status_code == 403, url
    assert SyncRun.objects.count() == runs and not RecordIntervention.objects.exists()
    assert world["flow"].mapping_versions.count() == 2


def test_actions_refuse_get(admin_client_csrf, world):
    for url, _data in actions(world):
        if "replay" in url or "mapping" in url or "value-maps" in url:
            continue  # pages with a form: GET shows it
        assert admin_client_csrf.get(url).status_code == 405, url


def test_admin_pages_link_to_the_console(admin_client_csrf, finance_client, world):
    flow_page = admin_client_csrf.get(reverse("admin:syncjobs_syncflow_change", args=[world["flow"].pk]))
    assert reverse("console:mapping_editor", args=[world["flow"].pk]) in flow_page.content.decode()
    record_page = finance_client.get(reverse("admin:syncjobs_syncrecord_change", args=[world["record"].pk]))
    assert reverse("console:record_timeline", args=[world["record"].pk]) in record_page.content.decode()
    version_page = admin_client_csrf.get(
        reverse("admin:syncjobs_mappingversion_change", args=[world["version"].pk])
    )
    assert reverse("console:mapping_version", args=[world["version"].pk]) in version_page.content.decode()


def test_interventions_are_listed_read_only_for_integration_admins(admin_client_csrf, finance_client, world):
    mark_records([world["record"]], "resolved", "fixed in the ERP", None)
    listing = admin_client_csrf.get(reverse("admin:syncjobs_recordintervention_changelist") + "?q=fixed")

    assert "fixed in the ERP" in listing.content.decode()
    assert reverse("console:record_timeline", args=[world["record"].pk]) in listing.content.decode()
    intervention = RecordIntervention.objects.get()
    change = admin_client_csrf.get(
        reverse("admin:syncjobs_recordintervention_change", args=[intervention.pk])
    )
    assert change.status_code == 200 and 'name="_save"' not in change.content.decode()
    assert finance_client.get(reverse("admin:syncjobs_recordintervention_changelist")).status_code == 403
