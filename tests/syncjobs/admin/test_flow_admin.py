import json

import pytest
from django.urls import reverse

from syncjobs.models import FieldMapping, MappingVersion, SyncFlow
from tests.syncjobs.factories import make_flow, make_mapping

pytestmark = pytest.mark.django_db


def flow_form(flow, rows, **changes):
    data = {
        "name": flow.name,
        "slug": flow.slug,
        "description": "",
        "source_connector": flow.source_connector_id,
        "source_object": flow.source_object,
        "target_connector": flow.target_connector_id,
        "target_object": flow.target_object,
        "operation": flow.operation,
        "match_keys": "[]",
        "post_actions": "[]",
        "source_filter": "[]",
        "schedule_minutes": "",
        "schedule_cron": "",
        "batch_size": 100,
        "options": "{}",
        "mappings-TOTAL_FORMS": len(rows),
        "mappings-INITIAL_FORMS": sum(1 for row in rows if row.get("id")),
        "mappings-MIN_NUM_FORMS": 0,
        "mappings-MAX_NUM_FORMS": 1000,
    }
    for index, row in enumerate(rows):
        values = {"position": index, "transform": "direct", "params": "{}", "note": "", **row}
        for key, value in values.items():
            if key == "required" and not value:
                continue
            data[f"mappings-{index}-{key}"] = value
        data[f"mappings-{index}-flow"] = flow.pk
    return {**data, **changes}


def existing_rows(flow):
    """The rows as the change form shows them, ready to post back."""
    rows = []
    for mapping in flow.mappings.all():
        row = {**mapping.as_row(), "id": mapping.pk, "params": json.dumps(mapping.params)}
        row["required"] = "on" if mapping.required else ""
        rows.append(row)
    return rows


def test_saving_the_mapping_inline_stores_exactly_one_version(admin_client_csrf, integration_admin):
    flow = make_flow()
    url = reverse("admin:syncjobs_syncflow_change", args=[flow.pk])
    rows = [
        {"target_path": "FName", "source_path": "name", "required": "on"},
        {"target_path": "FQty", "source_path": "qty", "transform": "number", "params": '{"decimals": 2}'},
    ]
    response = admin_client_csrf.post_form(url, flow_form(flow, rows))
    assert response.status_code == 302, response.context["errors"] if response.context else response
    versions = list(MappingVersion.objects.filter(flow=flow))
    assert [(v.number, len(v.rows), v.created_by) for v in versions] == [(1, 2, integration_admin)]

    # Saving the flow again without touching the rows makes no new version...
    admin_client_csrf.post_form(url, flow_form(flow, existing_rows(flow), name="Renamed"))
    assert MappingVersion.objects.filter(flow=flow).count() == 1
    # ...while a change to the rows makes exactly one.
    changed = existing_rows(flow)
    changed[1]["source_path"] = "quantity"
    admin_client_csrf.post_form(url, flow_form(flow, changed))
    assert list(MappingVersion.objects.filter(flow=flow).values_list("number", flat=True)) == [2, 1]


def test_invalid_rows_are_reported_on_the_row_and_nothing_is_saved(admin_client_csrf):
    flow = make_flow()
    url = reverse("admin:syncjobs_syncflow_change", args=[flow.pk])
    rows = [
        {"target_path": "FName", "source_path": "name"},
        {"target_path": "FName.FNumber", "source_path": "code"},
        {"target_path": "FQty", "source_path": "qty", "transform": "number", "params": '{"decimals": "2"}'},
    ]
    response = admin_client_csrf.post_form(url, flow_form(flow, rows))
    assert response.status_code == 200
    formset = response.context["inline_admin_formsets"][0].formset
    assert "overlaps row 1" in str(formset.forms[1].errors["target_path"])
    assert "decimals" in str(formset.forms[2].errors["params"])
    assert not FieldMapping.objects.exists() and not MappingVersion.objects.exists()


def test_mapping_row_history_records_who_changed_it(admin_client_csrf, integration_admin):
    flow = make_flow()
    make_mapping(flow, "FName", "name")
    url = reverse("admin:syncjobs_syncflow_change", args=[flow.pk])
    rows = existing_rows(flow)
    rows[0]["source_path"] = "full_name"
    admin_client_csrf.post_form(url, flow_form(flow, rows))
    mapping = flow.mappings.get()
    latest = mapping.history.first()
    assert (latest.source_path, latest.history_user) == ("full_name", integration_admin)
    assert mapping.history.count() == 2


def test_enable_action_is_a_permission_checked_post(admin_client_csrf, staff_client):
    flow = make_flow(enabled=False)
    url = reverse("admin:syncjobs_syncflow_changelist")
    data = {"action": "enable_flows", "_selected_action": [flow.pk]}
    assert admin_client_csrf.post(url, data).status_code == 403  # no CSRF token
    assert staff_client.post_form(url, data).status_code == 403
    assert admin_client_csrf.post_form(url, data).status_code == 302
    flow.refresh_from_db()
    assert flow.enabled is True
    assert flow.history.first().enabled is True


def test_flow_changelist_and_form_render(admin_client_csrf):
    make_mapping(make_flow(), "FName", "name")
    assert admin_client_csrf.get(reverse("admin:syncjobs_syncflow_changelist")).status_code == 200
    assert admin_client_csrf.get(reverse("admin:syncjobs_syncflow_add")).status_code == 200
    flow = SyncFlow.objects.get()
    page = admin_client_csrf.get(reverse("admin:syncjobs_syncflow_change", args=[flow.pk])).content.decode()
    assert "FName" in page
