"""Saving a mapping checks every row against the sandboxes' metadata, over HTTP."""

import json

import pytest
import tablib
from django.utils import translation

from syncjobs.models import FieldMapping, MappingVersion, ObjectMetadata
from syncjobs.models.flow import confirmed_unlisted, snapshot_rows
from syncjobs.resources import SyncFlowResource
from syncjobs.services import mapping_checks
from syncjobs.services.mapping_editor import MappingRefused, save_checked_mapping
from tests.syncjobs.console.sandbox_connectors import crm_connector, erp_connector
from tests.syncjobs.factories import make_flow, make_mapping

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def tenants(sandbox_server):
    return sandbox_server.seed(size=4, seed=23)


@pytest.fixture
def flow(sandbox, tenants):
    """Accounts (sandbox CRM) → customers (sandbox ERP), with two good rows."""
    flow = make_flow(
        "checked-customers",
        source=crm_connector(sandbox, tenants["fxiaoke"]),
        target=erp_connector(sandbox, tenants["k3cloud"]),
    )
    make_mapping(flow, "FNumber", "account_no", required=True, position=10)
    make_mapping(flow, "FName", "name", required=True, position=20)
    return flow


def with_row(flow, target, source="", transform="direct", params=None):
    rows = [dict(row) for row in snapshot_rows(flow)]
    rows.append(
        {
            "position": 30,
            "target_path": target,
            "source_path": source,
            "transform": transform,
            "params": params or {},
            "required": False,
            "note": "",
        }
    )
    return rows


def refused(flow, rows, confirmed=()):
    with pytest.raises(MappingRefused) as caught:
        save_checked_mapping(flow, rows, confirmed=confirmed)
    return caught.value.check


def test_a_misspelt_source_field_is_refused_naming_the_row_the_field_and_the_fix(flow):
    check = refused(flow, with_row(flow, "FTEL", "acount_no"))

    [message] = check.problems[3]["source_path"]
    assert "Row 3" in message and "“acount_no”" in message and "AccountObj" in message
    assert "tick “not in the metadata”" in message
    assert not MappingVersion.objects.filter(flow=flow).exists()
    assert not FieldMapping.objects.filter(flow=flow, target_path="FTEL").exists()


def test_a_read_only_erp_field_is_refused_and_cannot_be_confirmed(flow):
    rows = with_row(flow, "FDocumentStatus", "name")

    check = refused(flow, rows, confirmed=["FDocumentStatus"])

    assert "read-only" in check.problems[3]["target_path"][0]
    assert not MappingVersion.objects.filter(flow=flow).exists()


def test_a_transform_that_cannot_make_the_target_fields_type_is_refused(flow):
    rows = with_row(flow, "FCustTypeId.FNumber", "name", "number", {"decimals": 0})

    check = refused(flow, rows)

    assert "“Number and rounding”" in check.problems[3]["transform"][0]
    assert "a reference to base data" in check.problems[3]["transform"][0]


def test_a_field_the_metadata_does_not_list_is_saved_once_confirmed_and_the_version_records_it(flow):
    rows = with_row(flow, "FTEL", "no_such_field")
    refused(flow, rows)

    version, created = save_checked_mapping(flow, rows, confirmed=["FTEL"])

    assert created and version.unlisted_fields == [{"target_path": "FTEL", "fields": ["no_such_field"]}]
    assert confirmed_unlisted(flow) == {"FTEL"}


def test_the_tenants_own_fields_pass_on_both_sides(flow):
    rows = with_row(flow, "FSOCIALCRECODE", "field_x2Tax__c")

    version, created = save_checked_mapping(flow, rows)

    assert created and version.unlisted_fields == []


def test_a_tenants_new_erp_field_is_known_once_the_erp_describes_it(flow, sandbox):
    sandbox.set_tenant_field("k3cloud", "BD_Customer", "F_PAEZ_Grade", "text", label="客户等级")
    try:
        check = mapping_checks.check_rows(flow, with_row(flow, "F_PAEZ_Grade", "account_level"))
    finally:
        sandbox.reset_tenant_fields()

    assert check.ok


def test_the_messages_are_in_chinese_for_a_chinese_session(flow):
    with translation.override("zh-hans"):
        check = mapping_checks.check_rows(flow, with_row(flow, "FDocumentStatus", "acount_no"))

    assert "第 3 行" in check.problems[3]["source_path"][0]
    assert "只读" in check.problems[3]["target_path"][0]


def test_an_unreachable_system_asks_for_a_confirmation(flow, settings):
    settings.INTEGRATION_HUB_RETRY_BASE_SECONDS = settings.INTEGRATION_HUB_RETRY_CAP_SECONDS = 0
    settings.INTEGRATION_HUB_HTTP_MAX_RETRIES = 0
    flow.source_connector.base_url = "http://127.0.0.1:9"
    flow.source_connector.timeout = 2
    flow.source_connector.save()

    check = mapping_checks.check_rows(flow, with_row(flow, "FTEL", "tel"))

    assert "could not be checked" in check.problems[1]["source_path"][0]
    assert save_checked_mapping(flow, snapshot_rows(flow), confirmed=["FNumber", "FName"])[1]


def exported_with(flow, *extra):
    """The flow's export, its mapping rows followed by ``extra`` rows (as an edited file)."""
    dataset = SyncFlowResource().export(type(flow).objects.filter(pk=flow.pk))
    return tablib_with_mappings(dataset, json.dumps(json.loads(dataset["mappings"][0]) + list(extra)))


def import_problems(dataset, dry_run=False):
    result = SyncFlowResource().import_data(dataset, dry_run=dry_run)
    return [str(message) for row in result.invalid_rows for message in row.error.messages]


def unreachable(connector, settings):
    settings.INTEGRATION_HUB_RETRY_BASE_SECONDS = settings.INTEGRATION_HUB_RETRY_CAP_SECONDS = 0
    settings.INTEGRATION_HUB_HTTP_MAX_RETRIES = 0
    connector.base_url, connector.timeout = "http://127.0.0.1:9", 2
    connector.save()


def test_an_import_asks_the_systems_when_no_metadata_is_kept_and_keeps_it(flow):
    assert not ObjectMetadata.objects.exists()  # a fresh installation: nothing asked yet
    dataset = exported_with(
        flow,
        {"target_path": "FDocumentStatus", "source_path": "name", "position": 30},
        {"target_path": "FTEL", "source_path": "acount_no", "position": 40},
    )

    problems = import_problems(dataset)

    assert problems[0].startswith("Row 3: “FDocumentStatus” of BD_Customer is read-only")
    assert problems[1].startswith("Row 4: the source field “acount_no” does not exist in AccountObj")
    assert 'add "not_in_metadata": true to the row' in problems[1]
    assert set(ObjectMetadata.objects.values_list("object_name", flat=True)) == {"AccountObj", "BD_Customer"}
    assert not FieldMapping.objects.filter(flow=flow, target_path__in=["FDocumentStatus", "FTEL"]).exists()


def test_a_row_marked_not_in_the_metadata_is_imported_the_version_records_it_and_the_export_keeps_it(flow):
    marked = {"target_path": "FTEL", "source_path": "no_such_field", "position": 30, "not_in_metadata": True}

    assert import_problems(exported_with(flow, marked)) == []

    version = MappingVersion.objects.get(flow=flow)
    assert version.unlisted_fields == [{"target_path": "FTEL", "fields": ["no_such_field"]}]
    assert FieldMapping.objects.get(flow=flow, target_path="FTEL").source_path == "no_such_field"
    exported = SyncFlowResource().export(type(flow).objects.filter(pk=flow.pk))
    assert [row.get("not_in_metadata") for row in json.loads(exported["mappings"][0])] == [None, None, True]
    result = SyncFlowResource().import_data(exported, dry_run=False)
    assert [row.import_type for row in result.rows] == ["skip"]


def test_an_unreachable_system_refuses_the_import_naming_the_connector_and_the_reason(flow, settings):
    unreachable(flow.source_connector, settings)
    dataset = exported_with(flow, {"target_path": "FTEL", "source_path": "tel", "position": 30})

    with translation.override("zh-hans"):
        problems = import_problems(dataset)

    assert len(problems) == 3  # every row reads a field of the CRM, which cannot be asked
    # The connector and the reason; the connectors' own words (English) only as the detail.
    assert (
        "“account_no”" in problems[0] and "无法向 CRM crm-" in problems[0] and "（AccountObj）" in problems[0]
    )
    assert "cannot reach fxiaoke" in problems[0]
    assert not FieldMapping.objects.filter(flow=flow, target_path="FTEL").exists()
    assert not MappingVersion.objects.filter(flow=flow).exists()


def test_rows_marked_not_in_the_metadata_go_in_while_a_system_cannot_be_asked(flow, settings):
    unreachable(flow.source_connector, settings)
    dataset = SyncFlowResource().export(type(flow).objects.filter(pk=flow.pk))
    rows = [{**row, "not_in_metadata": True} for row in json.loads(dataset["mappings"][0])]

    assert import_problems(tablib_with_mappings(dataset, json.dumps(rows))) == []

    assert MappingVersion.objects.get(flow=flow).unlisted_fields == [
        {"target_path": "FNumber", "fields": ["account_no"]},
        {"target_path": "FName", "fields": ["name"]},
    ]


def test_a_flow_file_with_one_refused_row_changes_no_flow(flow, sandbox, tenants):
    other = make_flow(
        "checked-contacts", flow.source_connector, flow.target_connector, target_object="BD_Customer"
    )
    make_mapping(other, "FName", "name")
    dataset = SyncFlowResource().export(type(flow).objects.order_by("slug"))
    good = json.loads(dataset["mappings"][0]) + [
        {"target_path": "FTEL", "source_path": "tel", "position": 30}
    ]
    bad = json.loads(dataset["mappings"][1]) + [{"target_path": "FTEL", "source_path": "acount_no"}]
    edited = tablib.Dataset(headers=dataset.headers)
    index = dataset.headers.index("mappings")
    for row, cell in zip(dataset, (good, bad), strict=True):
        edited.append([*row[:index], json.dumps(cell), *row[index + 1 :]])

    problems = import_problems(edited)

    assert len(problems) == 1 and "“acount_no”" in problems[0]
    assert not FieldMapping.objects.filter(target_path="FTEL").exists()
    assert not MappingVersion.objects.exists()


def tablib_with_mappings(dataset, cell):
    index = dataset.headers.index("mappings")
    edited = tablib.Dataset(headers=dataset.headers)
    for row in dataset:
        edited.append([*row[:index], cell, *row[index + 1 :]])
    return edited
