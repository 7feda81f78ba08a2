import json

import pytest
import tablib
from django.urls import reverse

from syncjobs.admin.base import CONFIG_FORMATS
from syncjobs.models import (
    Connector,
    FieldMapping,
    MappingVersion,
    ObjectMetadata,
    SyncFlow,
    ValueMap,
    ValueMapEntry,
)
from syncjobs.models.flow import record_mapping_version
from syncjobs.resources import SyncFlowResource, ValueMapEntryResource
from tests.syncjobs.console.sandbox_connectors import crm_connector, erp_connector
from tests.syncjobs.exporting import export_form
from tests.syncjobs.factories import make_flow, make_mapping, make_value_map

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def tenants(sandbox_server):
    return sandbox_server.seed(size=4, seed=29)


@pytest.fixture
def configuration(sandbox, tenants):
    """Two flows between the sandboxes; the customers' “F_Level” is confirmed as not in the metadata."""
    crm, erp = crm_connector(sandbox, tenants["fxiaoke"]), erp_connector(sandbox, tenants["k3cloud"])
    customers = make_flow(
        "customers",
        crm,
        erp,
        match_keys=["FNumber"],
        post_actions=[{"action": "submit"}, {"action": "audit"}],
        schedule_cron="*/15 * * * *",
        options={"max_attempts": 5},
        enabled=True,
    )
    orders = make_flow("orders", crm, erp, source_object="SalesOrderObj", target_object="SAL_SaleOrder")
    orders.depends_on.add(customers)
    make_value_map("levels", {"1": "VIP", "2": "NORMAL"}, name="Customer level")
    make_mapping(customers, "FName", "name", required=True, note="客户名称")
    make_mapping(
        customers, "F_Level", "level", "value_map", {"map": "levels", "default": "NORMAL"}, position=1
    )
    make_mapping(orders, "FCustId.FNumber", "account_id", "lookup", {"flow": "customers"})
    make_mapping(
        orders, "FSaleOrderEntry[].FQty", "SalesOrderProductObj[].quantity", "number", {"decimals": 2}
    )
    make_mapping(orders, "FNote", "", "template", {"template": "=HYPERLINK({name})"})
    record_mapping_version(
        customers, unlisted_fields=[{"target_path": "F_Level", "fields": ["level", "F_Level"]}]
    )
    return {"customers": customers, "orders": orders}


def export_dataset():
    return SyncFlowResource().export(SyncFlow.objects.order_by("slug"))


def with_column(dataset, column, values):
    """A copy of ``dataset`` with one column's cells replaced (as an edited file would be)."""
    index = dataset.headers.index(column)
    edited = tablib.Dataset(headers=dataset.headers)
    for row, value in zip(dataset, values, strict=True):
        edited.append([*row[:index], value, *row[index + 1 :]])
    return edited


def state():
    """Everything a flow configuration consists of, in comparable form."""
    flows = SyncFlow.objects.order_by("slug")
    return {
        "flows": [
            {
                **{
                    k: v
                    for k, v in flow.__dict__.items()
                    if k not in ("_state", "id", "created_at", "updated_at")
                },
                "source_connector_id": flow.source_connector.slug,
                "target_connector_id": flow.target_connector.slug,
                "depends_on": sorted(flow.depends_on.values_list("slug", flat=True)),
                "rows": [m.as_row() for m in flow.mappings.order_by("position", "id")],
            }
            for flow in flows
        ],
        "value_maps": sorted(
            (e.value_map.slug, e.value_map.name, e.source_value, e.target_value)
            for e in ValueMapEntry.objects.select_related("value_map")
        ),
    }


def wipe():
    MappingVersion.objects.all().delete()
    SyncFlow.objects.all().delete()
    ValueMap.objects.all().delete()


@pytest.mark.parametrize("file_format", CONFIG_FORMATS)
def test_export_then_import_recreates_the_flows_identically(configuration, file_format):
    before = state()
    # The admin's own path: its export format, then the format's reader on import.
    exported = file_format().export_data(export_dataset())
    wipe()
    dataset = file_format().create_dataset(exported)

    result = SyncFlowResource().import_data(dataset, dry_run=False)

    assert not result.has_errors() and not result.has_validation_errors(), _problems(result)
    assert state() == before
    assert [v.number for v in MappingVersion.objects.filter(flow__slug="orders")] == [1]


FORMULA_LIKE = ["=1+1", "==1+1", "+VIP", "-1", "@SUM(A1)", "\tTAB"]


@pytest.mark.parametrize("file_format", CONFIG_FORMATS)
def test_configuration_files_keep_formula_like_texts_exactly(configuration, file_format):
    SyncFlow.objects.filter(slug="customers").update(description="==1+1")
    make_value_map("signs", {text: text for text in FORMULA_LIKE}, name="=Signs")
    before = state()
    flows = file_format().export_data(export_dataset())
    entries = file_format().export_data(ValueMapEntryResource().export())
    wipe()

    for resource, exported in ((ValueMapEntryResource, entries), (SyncFlowResource, flows)):
        result = resource().import_data(file_format().create_dataset(exported), dry_run=False)
        assert not result.has_errors() and not result.has_validation_errors(), _problems(result)

    assert state() == before
    assert SyncFlow.objects.get(slug="customers").description == "==1+1"


def test_the_admin_exports_a_flow_s_texts_unescaped(admin_client_csrf, configuration):
    SyncFlow.objects.filter(slug="customers").update(description="==1+1")
    response = admin_client_csrf.post_form(
        reverse("admin:syncjobs_syncflow_export"), export_form(SyncFlowResource, format_index=1)
    )
    exported = tablib.Dataset().load(response.content.decode(), format="csv")
    assert not response.content.startswith(b"\xef\xbb\xbf")  # the importer reads it back as is
    assert exported["description"][0] == "==1+1"


def test_dry_run_changes_nothing(configuration):
    dataset = export_dataset()
    wipe()
    result = SyncFlowResource().import_data(dataset, dry_run=True)
    assert [row.import_type for row in result.rows] == ["new", "new"]
    assert (SyncFlow.objects.count(), FieldMapping.objects.count(), ValueMap.objects.count()) == (0, 0, 0)
    assert MappingVersion.objects.count() == 0


def test_reimporting_an_unchanged_file_skips_every_row(configuration):
    dataset = export_dataset()
    versions = MappingVersion.objects.count()
    result = SyncFlowResource().import_data(dataset, dry_run=False)
    assert [row.import_type for row in result.rows] == ["skip", "skip"]
    assert MappingVersion.objects.count() == versions


def test_importing_a_changed_mapping_makes_exactly_one_new_version(configuration):
    dataset = export_dataset()
    rows = json.loads(dataset["mappings"][0])
    rows[0]["required"] = False
    rows.append({"target_path": "FShortName", "source_path": "name"})
    dataset = with_column(dataset, "mappings", [json.dumps(rows), dataset["mappings"][1]])
    existing = set(FieldMapping.objects.filter(flow__slug="customers").values_list("pk", flat=True))

    result = SyncFlowResource().import_data(dataset, dry_run=False)

    assert [row.import_type for row in result.rows] == ["update", "skip"]
    customers = SyncFlow.objects.get(slug="customers")
    versions = customers.mapping_versions.order_by("number")
    assert [v.number for v in versions] == [1, 2]
    # The file's "not_in_metadata" mark carries the confirmation over to the new version.
    assert (
        len(versions.last().rows) == 3 and versions.last().unlisted_fields == versions.first().unlisted_fields
    )
    # Rows are updated in place, so their history stays one story per row.
    assert existing <= set(customers.mappings.values_list("pk", flat=True))


def test_import_rejects_invalid_mappings_naming_the_row(configuration):
    dataset = export_dataset()
    bad = json.dumps([{"target_path": "FQty", "source_path": "q", "transform": "eval"}])
    dataset = with_column(dataset, "mappings", [bad, "[]"])
    result = SyncFlowResource().import_data(dataset, dry_run=False)
    assert result.has_validation_errors()
    messages = " ".join(str(e) for row in result.invalid_rows for e in row.error.messages)
    assert "row 1, transform" in messages
    assert SyncFlow.objects.get(slug="customers").mappings.count() == 2


@pytest.mark.parametrize(
    ("column", "value", "fragment"),
    [
        ("mappings", "{not json", "Not valid JSON"),
        ("mappings", '[{"target_path": "a", "colour": "red"}]', "Unknown keys"),
        ("value_maps", "[]", "neither in the file nor installed"),
        ("depends_on", "ghost-flow", "unknown flows"),
        ("source_connector", "no-such-connector", "There is no connector with the slug “no-such-connector”"),
        ("batch_size", "abc", "“abc” is not a whole number"),
        ("batch_size", "2.5", "“2.5” is not a whole number"),
        ("enabled", "maybe", "“maybe” is neither yes nor no"),
    ],
)
def test_import_explains_hostile_cells(configuration, column, value, fragment):
    dataset = export_dataset()
    wipe()
    ValueMap.objects.all().delete()
    dataset = with_column(dataset, column, [value, dataset[column][1]])
    result = SyncFlowResource().import_data(dataset, dry_run=True)
    assert fragment in _problems(result)


def test_admin_import_previews_then_confirms(admin_client_csrf, configuration):
    exported = export_dataset().export("json")
    wipe()
    upload = _upload("flows.json", exported)
    preview = admin_client_csrf.post_form(
        reverse("admin:syncjobs_syncflow_import"), {"format": "0", "resource": "0", "import_file": upload}
    )
    assert preview.status_code == 200
    assert SyncFlow.objects.count() == 0
    confirm_form = preview.context["confirm_form"]
    assert confirm_form is not None

    done = admin_client_csrf.post_form(
        reverse("admin:syncjobs_syncflow_process_import"), confirm_form.initial
    )

    assert done.status_code == 302
    assert sorted(SyncFlow.objects.values_list("slug", flat=True)) == ["customers", "orders"]
    assert MappingVersion.objects.filter(created_by__username="alice").count() == 2


def test_admin_import_shows_a_misspelt_field_on_its_row_and_offers_no_confirmation(
    admin_client_csrf, configuration
):
    dataset = export_dataset()
    rows = json.loads(dataset["mappings"][0]) + [
        {"target_path": "FTEL", "source_path": "acount_no", "position": 30}
    ]
    upload = _upload(
        "flows.json",
        with_column(dataset, "mappings", [json.dumps(rows), dataset["mappings"][1]]).export("json"),
    )

    preview = admin_client_csrf.post_form(
        reverse("admin:syncjobs_syncflow_import"), {"format": "0", "resource": "0", "import_file": upload}
    )

    assert "confirm_form" not in preview.context
    assert "Row 3: the source field “acount_no” does not exist in AccountObj" in preview.content.decode()


def test_admin_import_refused_at_confirmation_imports_nothing_and_says_why(
    admin_client_csrf, configuration, settings
):
    exported = export_dataset().export("json")
    wipe()
    preview = admin_client_csrf.post_form(
        reverse("admin:syncjobs_syncflow_import"),
        {"format": "0", "resource": "0", "import_file": _upload("flows.json", exported)},
    )
    # Between the preview and the confirmation the CRM stops answering, and its fields are asked again.
    settings.INTEGRATION_HUB_HTTP_MAX_RETRIES = 0
    ObjectMetadata.objects.all().delete()
    Connector.objects.filter(system="fxiaoke").update(base_url="http://127.0.0.1:9", timeout=2)

    done = admin_client_csrf.post_form(
        reverse("admin:syncjobs_syncflow_process_import"),
        preview.context["confirm_form"].initial,
        follow=True,
    )

    assert done.redirect_chain[-1][0] == reverse("admin:syncjobs_syncflow_import")
    assert "Nothing was imported" in done.content.decode() and "could not be checked" in done.content.decode()
    assert not SyncFlow.objects.exists() and not MappingVersion.objects.exists()


def test_admin_import_needs_the_add_permission_and_a_csrf_token(
    finance_client, admin_client_csrf, configuration
):
    url = reverse("admin:syncjobs_syncflow_import")
    upload = _upload("flows.json", export_dataset().export("json"))
    assert finance_client.post_form(url, {"format": "0", "import_file": upload}).status_code == 403
    assert admin_client_csrf.post(url, {"format": "0"}).status_code == 403


def test_value_maps_import_one_entry_per_row_creating_the_map():
    dataset = tablib.Dataset(
        ["units", "Units", "个", "PCS", ""],
        ["units", "Units", "箱", "BOX", "carton"],
        headers=["value_map", "value_map_name", "source_value", "target_value", "note"],
    )
    result = ValueMapEntryResource().import_data(dataset, dry_run=False)
    assert not result.has_errors() and not result.has_validation_errors(), _problems(result)
    assert ValueMap.objects.get(slug="units").as_dict() == {"个": "PCS", "箱": "BOX"}
    again = ValueMapEntryResource().import_data(dataset, dry_run=False)
    assert [row.import_type for row in again.rows] == ["skip", "skip"]


def _upload(name, content):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content.encode(), content_type="application/json")


def _problems(result):
    texts = [str(error.error) for row in result.row_errors() for error in row[1]]
    for row in result.invalid_rows:
        texts.extend(f"{field}: {messages}" for field, messages in row.error_dict.items())
    for error in result.base_errors:
        texts.append(str(error.error))
    return " | ".join(texts)


def test_connectors_import_without_secrets_and_with_field_checks():
    from syncjobs.models import Connector
    from syncjobs.resources import ConnectorResource

    headers = ["slug", "name", "system", "base_url", "auth_mode", "lcid"]
    good = tablib.Dataset(
        ["erp", "ERP", "k3cloud", "https://erp.example.com/k3cloud/", "password", "2052"], headers=headers
    )
    result = ConnectorResource().import_data(good, dry_run=False)
    assert not result.has_errors() and not result.has_validation_errors(), _problems(result)
    connector = Connector.objects.get(slug="erp")
    assert not connector.has_value("password")

    bad = tablib.Dataset(["crm", "CRM", "salesforce", "not a url", "", "2052"], headers=headers)
    result = ConnectorResource().import_data(bad, dry_run=False)
    assert {"system", "base_url"} <= set(result.invalid_rows[0].error_dict)
    assert not Connector.objects.filter(slug="crm").exists()


def test_a_value_map_file_updates_existing_entries_and_adds_new_ones():
    make_value_map("units", {"个": "PCS", "箱": "BOX"}, name="Units")
    dataset = tablib.Dataset(
        ["units", "Units", "个", "EA", ""],
        ["units", "Units", "台", "SET", ""],
        ["units", "Units", "箱", "BOX", ""],
        headers=["value_map", "value_map_name", "source_value", "target_value", "note"],
    )
    result = ValueMapEntryResource().import_data(dataset, dry_run=False)
    assert [row.import_type for row in result.rows] == ["update", "new", "skip"]
    assert ValueMap.objects.get(slug="units").as_dict() == {"个": "EA", "台": "SET", "箱": "BOX"}
