"""The scenario bundle: installed through the flows import, idempotently, importable by hand."""

import pytest
from django.core.exceptions import ValidationError
from import_export.formats.base_formats import JSON

from syncjobs import scenarios
from syncjobs.models import SyncFlow, ValueMap, ValueMapEntry
from syncjobs.resources import SyncFlowResource
from syncjobs.scenarios.install import install_scenarios
from tests.syncjobs.console.sandbox_connectors import crm_connector, erp_connector
from tests.syncjobs.factories import make_fxiaoke, make_k3cloud

pytestmark = pytest.mark.django_db

SLUGS = ["customers", "contacts", "products", "sales-orders", "shipments", "shipments-outstock", "receipts"]


@pytest.fixture
def connectors():
    return make_fxiaoke("demo-crm"), make_k3cloud("demo-erp")


def test_it_installs_every_scenario_flow_between_the_two_connectors(connectors):
    crm, erp = connectors

    created = install_scenarios(crm, erp)

    assert created == SLUGS
    flows = {flow.slug: flow for flow in SyncFlow.objects.select_related("source_connector")}
    assert {slug: (f.source_object, f.target_object) for slug, f in flows.items()} == {
        "customers": ("AccountObj", "BD_Customer"),
        "contacts": ("ContactObj", "BD_COMMONCONTACT"),
        "products": ("BD_MATERIAL", "ProductObj"),
        "sales-orders": ("SalesOrderObj", "SAL_SaleOrder"),
        "shipments": ("SAL_DELIVERYNOTICE", "DeliveryNoteObj"),
        "shipments-outstock": ("SAL_OUTSTOCK", "DeliveryNoteObj"),
        "receipts": ("AR_RECEIVEBILL", "PaymentObj"),
    }
    assert {f.source_connector.slug for f in flows.values() if f.source_object.endswith("Obj")} == {
        "demo-crm"
    }
    assert sorted(flows["sales-orders"].depends_on.values_list("slug", flat=True)) == [
        "customers",
        "products",
    ]
    assert [f.slug for f in flows.values() if not f.enabled] == ["shipments-outstock"]
    assert all(f.mapping_versions.count() == 1 for f in flows.values())


def test_each_flow_has_its_match_keys_post_actions_and_options(connectors):
    install_scenarios(*connectors)
    flows = {flow.slug: flow for flow in SyncFlow.objects.all()}

    assert flows["customers"].match_keys == ["FSOCIALCRECODE"]
    assert [step["action"] for step in flows["customers"].post_actions] == ["submit", "audit", "allocate"]
    assert flows["customers"].post_actions[2]["organisations"] == ["101", "102"]
    assert flows["customers"].options == {"write_back": {"field_erpNo__c": "target_number"}}
    assert flows["products"].match_keys == ["product_code"] and flows["products"].options["audited_only"]
    assert flows["sales-orders"].match_keys == ["FBillNo"]
    assert flows["shipments"].post_actions[0]["template"] == "订单 {order} 已发货，发货单号 {number}"
    assert all(flow.schedule_minutes == 1 for flow in flows.values())


def test_value_maps_come_with_the_flows(connectors):
    install_scenarios(*connectors)

    entries = dict(
        ValueMap.objects.get(slug="account-type-customer-type").entries.values_list(
            "source_value", "target_value"
        )
    )
    assert entries == {"1": "KHLB001_SYS", "2": "KHLB002_SYS"}
    assert ValueMap.objects.get(slug="material-group-product-category").entries.count() == 5


def test_installing_again_creates_nothing_and_keeps_the_administrators_edits(connectors):
    install_scenarios(*connectors)
    account_types = ValueMap.objects.get(slug="account-type-customer-type")
    ValueMapEntry.objects.create(value_map=account_types, source_value="3", target_value="KHLB001_SYS")
    SyncFlow.objects.filter(slug="customers").update(batch_size=20)

    created = install_scenarios(*connectors)

    assert created == []
    assert account_types.entries.filter(source_value="3").exists()
    assert SyncFlow.objects.get(slug="customers").batch_size == 20


def test_a_deleted_flow_comes_back_without_touching_the_others(connectors):
    install_scenarios(*connectors)
    SyncFlow.objects.get(slug="receipts").delete()

    assert install_scenarios(*connectors) == ["receipts"]
    assert SyncFlow.objects.count() == len(SLUGS)


def test_it_refuses_connectors_of_the_wrong_systems(connectors):
    crm, erp = connectors

    with pytest.raises(ValidationError, match="Fxiaoke connector"):
        install_scenarios(erp, crm)
    assert SyncFlow.objects.count() == 0


def test_the_bundle_file_imports_as_it_is_through_the_admins_json_format_and_passes_the_metadata_check(
    sandbox,
):
    # The installer leaves the check out (see ``install``): the shipped rows pass it here.
    seeded = sandbox.seed(size=4, seed=11)
    crm_connector(sandbox, seeded["fxiaoke"], slug=scenarios.CRM_PLACEHOLDER)
    erp_connector(sandbox, seeded["k3cloud"], slug=scenarios.ERP_PLACEHOLDER)
    dataset = JSON().create_dataset(scenarios.BUNDLE.read_text(encoding="utf-8"))

    result = SyncFlowResource().import_data(dataset, dry_run=False)

    assert not result.has_errors() and not result.has_validation_errors()
    assert [row.import_type for row in result.rows] == ["new"] * len(SLUGS)
    assert SyncFlowResource().import_data(dataset, dry_run=False).rows[0].import_type == "skip"
