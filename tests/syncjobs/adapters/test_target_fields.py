"""What the adapters know of a target's fields, for the engine's check before a write."""

from syncjobs.adapters.k3cloud_fields import FIELDS
from syncjobs.mapping.targets import DECIMAL, INTEGER, TEXT, TargetField
from syncjobs.queries import k3cloud_fields


def test_k3cloud_amounts_prices_and_quantities_are_decimal_23_10_and_references_text(erp):
    fields = erp.target_fields("SAL_SaleOrder")

    assert fields["fsaleorderentry[].ftaxprice"] == TargetField(DECIMAL, 23, 10)
    assert fields["fsaleorderentry[].fqty"].whole_digits == 13
    assert fields["fcustid.fnumber"] == fields["fbillno"] == TargetField(TEXT)
    assert "fdate" not in fields  # dates are the ERP's to parse
    assert erp.target_fields("AR_RECEIVEBILL")["freceivebillentry[].fsaleorderid"] == TargetField(INTEGER)
    assert erp.target_fields("XY_UNLISTED") == {}


def test_the_mapping_editor_lists_the_same_fields_the_engine_checks():
    assert k3cloud_fields.form_fields("SAL_SaleOrder") == list(FIELDS["sal_saleorder"])


def test_crm_fields_come_from_the_describe_with_their_decimal_places(crm):
    fields = crm.target_fields("SalesOrderProductObj")

    assert fields["sales_price"] == TargetField(DECIMAL, scale=2)
    assert fields["remark"] == TargetField(TEXT)
    assert "product_id" not in fields  # a lookup: the CRM checks it
