"""Scenarios 3 and 4: ERP materials → CRM products (the ERP is the master), CRM sales orders
with their lines → audited ERP sales orders. Hand-built records, checked field by field."""

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from syncjobs.models import RunStatus

BEIJING = ZoneInfo("Asia/Shanghai")
ORDER_KEYS = [
    "FBillNo",
    "FDate",
    "FSaleOrgId.FNumber",
    "FCustId.FNumber",
    "FSalerId.FNumber",
    "FSettleCurrId.FNumber",
    "FDocumentStatus",
    "FBillAmount",
    "FBillTaxAmount",
    "FBillAllAmount",
    "FMaterialId.FNumber",
    "FQty",
    "FTaxPrice",
    "FPrice",
    "FEntryTaxRate",
    "FAmount",
    "FTaxAmount",
    "FAllAmount",
    "FDeliveryDate",
]


def beijing_ms(year, month, day):
    return int(datetime(year, month, day, tzinfo=BEIJING).timestamp() * 1000)


def add_material(site, number, audit=True, **fields):
    model = {
        "FNumber": number,
        "FName": "智能温控模块",
        "FSpecification": "型号T-200",
        "FMaterialGroup": {"FNumber": "02"},
        "F_PAEZ_SalePrice": "88.50",
        "SubHeadEntity": {"FBaseUnitId": {"FNumber": "Pcs"}},
        **fields,
    }
    return site.erp.client.save("BD_MATERIAL", model, is_auto_submit_and_audit=audit)


def crm_products(site, code):
    query = site.crm.client.query("ProductObj", [("product_code", "EQ", [code])])
    return list(query)


def amount(value):
    return Decimal(str(value)).normalize()


def test_a_new_audited_material_becomes_a_crm_product(site):
    add_material(site, "02.0901")

    run = site.run("products")

    assert run.status == RunStatus.SUCCEEDED, run.message
    assert run.created_count == 1 and run.failed_count == 0
    [product] = crm_products(site, "02.0901")
    assert {key: product.get(key) for key in ("name", "product_spec", "category", "unit", "price")} == {
        "name": "智能温控模块",
        "product_spec": "型号T-200",
        "category": "option2",
        "unit": "b7Rk3Mn9q",
        "price": "88.50",
    }


def test_seeded_products_are_matched_by_code_and_never_duplicated(site):
    run = site.run("products")

    seeded = site.erp_tenant["materials"]
    assert run.read_count == seeded and run.created_count == 0 and run.failed_count == 0
    codes = [
        row["product_code"] for row in site.crm.client.query("ProductObj", field_projection=["product_code"])
    ]
    assert len(codes) == len(set(codes))
    assert (site.run("products").read_count, site.run("products").created_count) == (0, 0)


def test_unaudited_and_forbidden_materials_stay_out_of_the_crm(site):
    add_material(site, "02.0902", audit=False)
    forbidden = add_material(site, "02.0903")
    site.erp.client.execute_operation("BD_MATERIAL", "Forbid", ids=[forbidden.id])

    site.run("products")

    assert crm_products(site, "02.0902") == [] and crm_products(site, "02.0903") == []


def test_an_order_with_its_lines_becomes_an_audited_erp_sales_order(site):
    site.run("products")
    existing = site.erp_tenant["existing_customers"][0]
    account = site.first_id("AccountObj", field_x2Tax__c=existing["tax_code"])
    motor, cable = (
        site.first_id("ProductObj", product_code="01.0001"),
        site.first_id("ProductObj", product_code="04.0001"),
    )
    lines = [
        {"product_id": motor, "quantity": "3", "sales_price": "113.00", "remark": "加急"},
        {"product_id": cable, "quantity": "2.5", "sales_price": "45.20"},
    ]
    order = site.crm.client.create(
        "SalesOrderObj",
        {
            "name": "SO-SCEN-0001",
            "account_id": account,
            "order_time": beijing_ms(2026, 10, 15),
            "delivery_date": beijing_ms(2026, 10, 25),
            "owner": [site.crm_tenant["sales_open_user_id"]],
        },
        {"SalesOrderProductObj": lines},
    )

    run = site.run("sales-orders", ids=[order])  # the customer is synced first, as its parent

    assert run.status == RunStatus.SUCCEEDED, site.outcome("sales-orders", order).error_message
    rows = site.erp_rows("SAL_SaleOrder", ORDER_KEYS, "FBillNo = 'SO-SCEN-0001'")
    head = {key: rows[0][key] for key in ORDER_KEYS[:7]}
    assert head == {
        "FBillNo": "SO-SCEN-0001",
        "FDate": "2026-10-15T00:00:00",
        "FSaleOrgId.FNumber": "101",
        "FCustId.FNumber": existing["number"],
        "FSalerId.FNumber": "E002",
        "FSettleCurrId.FNumber": "PRE001",
        "FDocumentStatus": "C",
    }
    assert [amount(rows[0][key]) for key in ("FBillAmount", "FBillTaxAmount", "FBillAllAmount")] == [
        Decimal("400"),
        Decimal("52"),
        Decimal("452"),
    ]
    entries = [
        (
            row["FMaterialId.FNumber"],
            *(
                amount(row[key])
                for key in (
                    "FQty",
                    "FTaxPrice",
                    "FPrice",
                    "FEntryTaxRate",
                    "FAmount",
                    "FTaxAmount",
                    "FAllAmount",
                )
            ),
            row["FDeliveryDate"],
        )
        for row in rows
    ]
    assert entries == [
        (
            "01.0001",
            Decimal(3),
            Decimal(113),
            Decimal(100),
            Decimal(13),
            Decimal(300),
            Decimal(39),
            Decimal(339),
            "2026-10-25T00:00:00",
        ),
        (
            "04.0001",
            Decimal("2.5"),
            Decimal("45.2"),
            Decimal(40),
            Decimal(13),
            Decimal(100),
            Decimal(13),
            Decimal(113),
            "2026-10-25T00:00:00",
        ),
    ]


def test_an_order_line_for_a_product_the_erp_does_not_know_waits_for_it(site):
    site.run("products")
    account = site.first_id("AccountObj")
    special = site.crm.client.create(
        "ProductObj", {"name": "非标控制柜", "product_code": "99.0002", "price": "9800"}
    )
    order = site.crm.client.create(
        "SalesOrderObj",
        {"name": "SO-SCEN-0002", "account_id": account, "order_time": beijing_ms(2026, 10, 16)},
        {"SalesOrderProductObj": [{"product_id": special, "quantity": "1", "sales_price": "9800"}]},
    )

    site.run("sales-orders", ids=[order])

    outcome = site.outcome("sales-orders", order)
    assert outcome.status == "waiting" and outcome.waiting_for == f"products: {special}"
    assert "products" in outcome.error_message
    assert site.erp_rows("SAL_SaleOrder", ["FBillNo"], "FBillNo = 'SO-SCEN-0002'") == []

    material = add_material(site, "99.0002", FName="非标控制柜", F_PAEZ_SalePrice="9800")
    orgs = [org["id"] for org in site.erp_tenant["sales_orgs"]]
    site.erp.client.allocate("BD_MATERIAL", [material.id], orgs, auto_submit_and_audit=True)
    site.run("products")  # adopts the CRM product by its code, which releases the order

    assert site.outcome("sales-orders", order).status == "succeeded", site.outcome(
        "sales-orders", order
    ).error_message
    assert site.erp_rows("SAL_SaleOrder", ["FMaterialId.FNumber"], "FBillNo = 'SO-SCEN-0002'") == [
        {"FMaterialId.FNumber": "99.0002"}
    ]
