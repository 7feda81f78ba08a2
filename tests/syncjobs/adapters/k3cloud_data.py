"""Sales documents and customers written straight through the client, for the adapter tests."""

import itertools

_notes = itertools.count(1)


def material_numbers(erp, count=3):
    rows = erp.client.query("BD_MATERIAL", ["FNumber"], "FMASTERID = FMATERIALID", "FNumber ASC")
    return [row["FNumber"] for row in itertools.islice(rows, count)]


def order_model(customer, materials, quantities, note=None):
    """A sales order with one line per quantity, cycling through ``materials``."""
    lines = [
        {"FMaterialId": {"FNumber": material}, "FQty": str(qty), "FTaxPrice": "12.5", "FEntryTaxRate": "13"}
        for material, qty in zip(itertools.cycle(materials), quantities, strict=False)
    ]
    return {
        "FDate": "2026-11-02",
        "FCustId": {"FNumber": customer},
        "FNote": note or f"adapter test {next(_notes)}",
        "FSaleOrderEntry": lines,
    }


def save_orders(erp, models):
    """Save the orders in one BatchSave; their ``(id, number)`` in order."""
    result = erp.client.batch_save("SAL_SaleOrder", models)
    assert all(row.ok for row in result.rows), [row.message for row in result.rows]
    return [(str(row.entity.id), row.entity.number) for row in result.rows]


def customer_model(name, **fields):
    return {"FName": name, "FShortName": name[:4], **fields}
