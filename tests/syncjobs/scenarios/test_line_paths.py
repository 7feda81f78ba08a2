"""A header field taken from one line (``FEntity.0.FSoorDerno``): how the K3Cloud adapter reads it.

Delivery notices and receipts name their sales order on each line only, while the CRM wants
it on the delivery note or payment itself; the scenario flows read it from the first line.
"""

from syncjobs.adapters.k3cloud_read import QueryShape
from syncjobs.mapping import apply_mapping

PATHS = ["FBillNo", "FEntity.0.FSoorDerno", "FEntity.0.FStockID.FName", "FEntity[].FQty"]


def rows():
    """ExecuteBillQuery's flat rows of one notice with two lines, as the shape asks for them."""
    base = {"FID": 7, "FBillNo": "FHTZD000007", "FModifyDate": "2026-10-01T09:00:00", "FApproveDate": None}
    return [
        {**base, "FEntity_FEntryID": 70, "FSoorDerno": "SO000012", "FStockID.FName": "成品仓", "FQty": 3.0},
        {**base, "FEntity_FEntryID": 71, "FSoorDerno": "SO000013", "FStockID.FName": "华东仓", "FQty": 2.5},
    ]


def test_a_line_field_by_position_is_asked_for_as_an_entry_column():
    shape = QueryShape("SAL_DELIVERYNOTICE", PATHS)

    assert shape.entries == ["FEntity"]
    assert {"FEntity_FEntryID", "FSoorDerno", "FStockID.FName", "FQty"} <= set(shape.keys)
    assert "FEntity.0.FSoorDerno" not in shape.keys


def test_the_mapping_reads_the_first_lines_value_into_the_header():
    [record] = list(QueryShape("SAL_DELIVERYNOTICE", PATHS).records(rows()))
    mapping = [
        {"target_path": "name", "source_path": "FBillNo"},
        {"target_path": "order", "source_path": "FEntity.0.FSoorDerno"},
        {"target_path": "stock", "source_path": "FEntity.0.FStockID.FName"},
        {"target_path": "Lines[].qty", "source_path": "FEntity[].FQty", "transform": "number"},
    ]

    payload = apply_mapping(mapping, record.data)

    assert payload == {
        "name": "FHTZD000007",
        "order": "SO000012",
        "stock": "成品仓",
        "Lines": [{"qty": "3"}, {"qty": "2.5"}],
    }


def test_reference_fields_of_the_header_are_not_taken_for_line_positions():
    shape = QueryShape("SAL_SaleOrder", ["FCustId.FNumber", "FSaleOrderFinance.FBillAllAmount"])

    assert shape.entries == []
    assert {"FCustId.FNumber", "FBillAllAmount"} <= set(shape.keys)
