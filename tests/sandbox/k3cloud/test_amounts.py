"""What the ERP computes on save — pure functions, Decimal arithmetic."""

from sandbox.k3cloud import amounts


def line(**values):
    return {"FQty": "10", "FEntryTaxRate": "13", **values, "_inputs": set(values) | {"FQty", "FEntryTaxRate"}}


def test_tax_inclusive_price_drives_the_amounts():
    row = line(FTaxPrice="113")
    amounts.price_line(row, "FQty", included=True)
    assert (row["FPrice"], row["FAmount"], row["FTaxAmount"], row["FAllAmount"]) == (
        "100.000000",
        "1000.00",
        "130.00",
        "1130.00",
    )


def test_a_net_price_alone_gets_its_inclusive_price():
    row = line(FPrice="100")
    amounts.price_line(row, "FQty", included=True)
    assert (row["FTaxPrice"], row["FAllAmount"], row["FAmount"]) == ("113.000000", "1130.00", "1000.00")


def test_tax_exclusive_bills_add_tax_on_top():
    row = line(FPrice="99.99", FEntryTaxRate="6")
    amounts.price_line(row, "FQty", included=False)
    assert (row["FAmount"], row["FTaxAmount"], row["FAllAmount"]) == ("999.90", "59.99", "1059.89")


def test_rounding_is_half_up_to_cents():
    row = line(FTaxPrice="0.005", FQty="1", FEntryTaxRate="0")
    amounts.price_line(row, "FQty", included=True)
    assert row["FAllAmount"] == "0.01"


def test_free_lines_cost_nothing():
    row = line(FTaxPrice="113", FIsFree=True)
    amounts.price_line(row, "FQty", included=True)
    assert (row["FPrice"], row["FAllAmount"]) == ("0", "0.00")


def test_sale_order_totals_and_a_default_receivable_plan():
    doc = {
        "FDate": "2026-09-01T00:00:00",
        "FSaleOrderEntry": [line(FTaxPrice="113"), line(FTaxPrice="10.9", FEntryTaxRate="9", FQty="3")],
    }
    amounts.sale_order(doc)
    assert (doc["FBillAmount"], doc["FBillTaxAmount"], doc["FBillAllAmount"]) == (
        "1030.00",
        "132.70",
        "1162.70",
    )
    assert doc["FSaleOrderPlan"][0]["FRecAmount"] == "1162.70"
    assert doc["FSaleOrderPlan"][0]["FMustDate"] == "2026-09-01T00:00:00"


def test_plan_rows_given_by_rate_get_their_amount():
    doc = {
        "FSaleOrderEntry": [line(FTaxPrice="100", FEntryTaxRate="0")],
        "FSaleOrderPlan": [{"FRecAdvanceRate": "30"}],
    }
    amounts.sale_order(doc)
    assert doc["FSaleOrderPlan"][0]["FRecAmount"] == "300.00"


def test_receipt_header_sums_its_lines():
    doc = {"FRECEIVEBILLENTRY": [{"FRECAMOUNTFOR_E": "100.10"}, {"FRECAMOUNTFOR_E": "0.9"}]}
    amounts.receive_bill(doc)
    assert doc["FRECAMOUNTFOR"] == "101.00"
