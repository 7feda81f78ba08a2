"""Field pickers over HTTP: the CRM's describe, the ERP's form catalog and base data, kept a while."""

import pytest

from syncjobs.queries import pickers
from tests.syncjobs.console.sandbox_connectors import crm_connector, erp_connector
from tests.syncjobs.factories import make_flow


@pytest.fixture(scope="module")
def tenants(sandbox_server):
    return sandbox_server.seed(size=6, seed=11)


@pytest.fixture
def crm(db, sandbox, tenants):
    return crm_connector(sandbox, tenants["fxiaoke"])


@pytest.fixture
def erp(db, sandbox, tenants):
    return erp_connector(sandbox, tenants["k3cloud"])


def by_path(fields):
    return {field["path"]: field for field in fields}


def test_crm_fields_come_from_describe_with_options_lookups_and_detail_lines(crm):
    fields = by_path(pickers.field_choices(crm, "SalesOrderObj"))

    assert fields["account_id"]["ref"] == "AccountObj"
    assert fields["account_id__r"]["type"] == "text"
    assert {"value": "7", "label": "已确认"} in fields["order_status"]["options"]
    lines = [path for path in fields if path.startswith("SalesOrderProductObj[].")]
    assert "SalesOrderProductObj[].product_id" in lines
    assert "SalesOrderProductObj[].order_id" not in lines  # the link to the order itself
    assert fields["SalesOrderProductObj[].product_id"]["group"] == "SalesOrderProductObj"


def test_crm_select_options_carry_the_stored_code_and_the_label(crm):
    fields = by_path(pickers.field_choices(crm, "AccountObj"))

    assert {"value": "1", "label": "终端客户"} in fields["account_type"]["options"]
    assert fields["name"]["required"] is True


def test_crm_objects_are_listed(crm):
    names = {item["name"] for item in pickers.object_choices(crm)}

    assert {"AccountObj", "ContactObj", "SalesOrderObj"} <= names


def test_describes_are_kept_so_the_editor_does_not_spend_calls_again(crm, sandbox, tenants):
    pickers.field_choices(crm, "ContactObj")
    before = len(sandbox.calls("fxiaoke", tenant=tenants["fxiaoke"]["tenant"]))

    pickers.field_choices(crm, "ContactObj")

    assert len(sandbox.calls("fxiaoke", tenant=tenants["fxiaoke"]["tenant"])) == before


def test_erp_fields_come_from_the_catalog_as_mapping_paths(erp):
    fields = by_path(pickers.field_choices(erp, "SAL_SaleOrder"))

    assert fields["FCustId.FNumber"]["ref"] == "BD_Customer" and fields["FCustId.FNumber"]["required"]
    assert fields["FSaleOrderEntry[].FQty"]["group"] == "FSaleOrderEntry"
    assert "FSaleOrderFinance.FSettleCurrId.FNumber" in fields
    assert fields["FDocumentStatus"]["readonly"]
    assert {"value": "C", "label": "Audited"} in fields["FDocumentStatus"]["options"]
    assert {"name": "SAL_SaleOrder", "label": "Sales order"} in pickers.object_choices(erp)


def test_erp_reference_options_are_read_from_the_base_data(erp):
    options = pickers.reference_options(erp, "BD_Currency")

    assert {"value": "PRE001", "label": "人民币"} in options


def test_a_form_outside_the_catalog_offers_its_keys(erp):
    assert [f["path"] for f in pickers.field_choices(erp, "STK_Misc")] == ["FID", "FBillNo"]


def test_a_system_that_refuses_says_so_in_words(db, sandbox, tenants):
    wrong = crm_connector(sandbox, tenants["fxiaoke"], app_secret="wrong", slug="crm-wrong")

    with pytest.raises(pickers.PickerUnavailable, match="could not be asked for its fields"):
        pickers.field_choices(wrong, "AccountObj")


def test_sample_records_come_from_the_flow_source(crm, erp):
    flow = make_flow("sample", source=crm, target=erp)

    records = pickers.sample_records(flow, limit=3)

    assert len(records) == 3 and all(r["id"] for r in records)


def test_the_tenants_own_fields_are_offered_from_both_systems(crm, erp):
    crm_fields = by_path(pickers.field_choices(crm, "AccountObj"))
    erp_fields = by_path(pickers.field_choices(erp, "BD_MATERIAL"))

    assert crm_fields["field_erpNo__c"]["custom"] and crm_fields["field_erpNo__c"]["label"] == "ERP客户编码"
    assert not crm_fields["name"]["custom"]
    assert erp_fields["F_PAEZ_SalePrice"]["custom"] and erp_fields["F_PAEZ_SalePrice"]["kind"] == "number"
    assert not erp_fields["SubHeadEntity.FBaseUnitId.FNumber"]["custom"]  # the catalogue's, kept as it was


def test_crm_system_fields_are_read_only_in_the_pickers(crm):
    fields = by_path(pickers.field_choices(crm, "AccountObj"))

    assert fields["create_time"]["readonly"] and not fields["account_no"]["readonly"]
