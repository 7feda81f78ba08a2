"""Seeding: fresh account sets with base data and the shared data set's materials; bulk volumes."""

import pytest

from sandbox.dataset import build_dataset


def test_each_seed_is_a_fresh_account_set_with_the_sdk_app_id(sandbox):
    first = sandbox.seed(size=10, systems=["k3cloud"])["k3cloud"]
    second = sandbox.seed(size=10, systems=["k3cloud"])["k3cloud"]
    assert first["acct_id"] != second["acct_id"]
    assert first["server_url"] == "/sandbox/k3cloud/" and first["lcid"] == 2052
    client_id, encoded = first["app_id"].split("_")
    assert client_id.isdigit() and len(encoded) == 32
    assert {org["number"] for org in first["sales_orgs"]} == {"101", "102"}


def test_materials_are_the_dataset_products_in_every_organisation(erp):
    products = build_dataset(size=10, seed=42).products
    rows = erp.query(
        "BD_MATERIAL",
        "FNumber,FName,FUseOrgId.FNumber,FBaseUnitId.FNumber,FDocumentStatus",
        OrderString="FNumber,FUseOrgId.FNumber",
    )
    assert {row[0] for row in rows} == {p["number"] for p in products}
    assert {(row[0], row[2]) for row in rows} == {
        (p["number"], org) for p in products for org in ("100", "101", "102")
    }
    assert {row[4] for row in rows} == {"C"}
    first = next(p for p in products if p["number"] == rows[0][0])
    assert rows[0][1] == first["name"] and rows[0][3] == first["unit_number"]


def test_base_data_and_a_few_existing_customers(erp):
    assert erp.query("BD_Currency", "FNumber", "FNumber = 'PRE001'") == [["PRE001"]]
    assert erp.one("ORG_Organizations", "FName", "FNumber='100'") == ["总部"]
    assert len(erp.query("BOS_BillType", "FNumber")) == 4
    customers = erp.tenant["existing_customers"]
    assert len(customers) == 1 and customers[0]["number"] == "CUST0001"
    assert erp.one("BD_Customer", "FName,FSOCIALCRECODE", "FNumber='CUST0001'") == [
        customers[0]["name"],
        customers[0]["tax_code"],
    ]


@pytest.mark.slow
def test_bulk_customers_page_through_5000_rows(erp):
    response = erp.http.post(
        f"{erp.sandbox.k3cloud_url}_sandbox/bulk",
        json={"acct_id": erp.tenant["acct_id"], "count": 5000, "seed": 3},
        timeout=120,
    )
    assert response.json()["created"] == 5000
    seen, start = [], 0
    while True:
        page = erp.query(
            "BD_Customer",
            "FCUSTID,FNumber",
            "FDocumentStatus = 'C'",
            OrderString="FCUSTID",
            StartRow=start,
            Limit=2000,
        )
        seen += page
        if len(page) < 2000:
            break
        start += 2000
    assert len(seen) == 5001 and len({row[0] for row in seen}) == 5001


def test_bulk_needs_a_known_account_set(erp):
    response = erp.http.post(f"{erp.sandbox.k3cloud_url}_sandbox/bulk", json={"acct_id": "nope", "count": 5})
    assert response.status_code == 400
