"""Scenarios 5 and 6: audited ERP delivery notices (or outbound documents) → CRM delivery notes
with a message to the order's owner, sent once; ERP receipts → CRM payments with their lines."""

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from syncjobs.models import RunStatus, SyncFlow

BEIJING = ZoneInfo("Asia/Shanghai")
ORDER_NUMBER = "SO-SCEN-0003"


def beijing_ms(text):
    """The CRM's ms epoch of an ERP date text (ERP dates are Beijing wall-clock times)."""
    return int(datetime.fromisoformat(text).replace(tzinfo=BEIJING).timestamp() * 1000)


@pytest.fixture
def order(site):
    """A CRM order of two lines, synced and audited in the ERP: ``(order id, account id)``."""
    site.run("products")
    existing = site.erp_tenant["existing_customers"][0]
    account = site.first_id("AccountObj", field_x2Tax__c=existing["tax_code"])
    lines = [
        {
            "product_id": site.first_id("ProductObj", product_code="01.0001"),
            "quantity": "3",
            "sales_price": "113",
        },
        {
            "product_id": site.first_id("ProductObj", product_code="04.0001"),
            "quantity": "2.5",
            "sales_price": "45.2",
        },
    ]
    order_id = site.crm.client.create(
        "SalesOrderObj",
        {
            "name": ORDER_NUMBER,
            "account_id": account,
            "order_time": beijing_ms("2026-10-15T00:00:00"),
            "owner": [site.crm_tenant["sales_open_user_id"]],
        },
        {"SalesOrderProductObj": lines},
    )
    assert site.run("sales-orders", ids=[order_id]).status == RunStatus.SUCCEEDED
    return order_id, account


def push_and_audit(site, source_form, source_number, rule_id, target_form):
    pushed = site.erp.client.push(source_form, numbers=[source_number], rule_id=rule_id)
    [made] = pushed.entities
    site.erp.client.submit(target_form, ids=[made.id])
    site.erp.client.audit(target_form, ids=[made.id])
    return made.number


def erp_date(site, form_id, number):
    [row] = site.erp_rows(form_id, ["FDate"], f"FBillNo = '{number}'")[:1]
    return row["FDate"]


def products_by_id(site):
    return {row["_id"]: row["product_code"] for row in site.crm.client.query("ProductObj")}


def test_an_audited_delivery_notice_becomes_a_delivery_note_of_the_order(site, order):
    order_id, account = order
    notice = push_and_audit(
        site, "SAL_SaleOrder", ORDER_NUMBER, "SaleOrder-DeliveryNotice", "SAL_DELIVERYNOTICE"
    )

    run = site.run("shipments")

    assert run.status == RunStatus.SUCCEEDED, run.message
    assert run.created_count == 1
    note_id = site.first_id("DeliveryNoteObj", name=notice)
    note = site.crm.client.get("DeliveryNoteObj", note_id)
    assert {
        key: note.get(key) for key in ("sales_order_id", "account_id", "status", "delivery_warehouse_id")
    } == {
        "sales_order_id": order_id,
        "account_id": account,
        "status": "2",
        "delivery_warehouse_id": "成品仓",
    }
    assert note["delivery_date"] == beijing_ms(erp_date(site, "SAL_DELIVERYNOTICE", notice))
    assert Decimal(note["total_delivery_money"]) == Decimal("452.00")
    codes = products_by_id(site)
    lines = site.crm_lines("DeliveryNoteProductObj", "delivery_note_id", note_id)
    assert [
        (
            codes[line["product_id"]],
            line["sales_order_id"],
            Decimal(line["delivery_num"]),
            Decimal(line["delivery_money"]),
        )
        for line in lines
    ] == [
        ("01.0001", order_id, Decimal(3), Decimal("339.00")),
        ("04.0001", order_id, Decimal("2.5"), Decimal("113.00")),
    ]


def test_the_owner_of_the_order_is_told_once(site, order):
    notice = push_and_audit(
        site, "SAL_SaleOrder", ORDER_NUMBER, "SaleOrder-DeliveryNotice", "SAL_DELIVERYNOTICE"
    )
    mark = site.mark()

    site.run("shipments")
    site.erp.client.unaudit("SAL_DELIVERYNOTICE", numbers=[notice])
    [row] = site.erp_rows("SAL_DELIVERYNOTICE", ["FID"], f"FBillNo = '{notice}'")[:1]
    site.erp.client.save(
        "SAL_DELIVERYNOTICE", {"FID": row["FID"], "FNote": "分两批送货"}, need_update_fields=["FNote"]
    )
    site.erp.client.submit("SAL_DELIVERYNOTICE", numbers=[notice])
    site.erp.client.audit("SAL_DELIVERYNOTICE", numbers=[notice])
    again = site.run("shipments")

    assert again.updated_count == 1
    assert (
        site.crm.client.get("DeliveryNoteObj", site.first_id("DeliveryNoteObj", name=notice))["remark"]
        == "分两批送货"
    )
    seller = site.crm_tenant["sales_open_user_id"]
    assert site.messages(after=mark) == [f"to {seller}: 订单 {ORDER_NUMBER} 已发货，发货单号 {notice}"]


def test_outbound_documents_work_as_the_shipment_source_too(site, order):
    order_id, _account = order
    # The ERP's clerks ship the order: delivery notice, stock picked, outbound document.
    shipped = site.sandbox.simulate("k3cloud", tenant=site.erp_tenant["acct_id"], ship=1.0, receive=0.0)
    assert shipped["outstocks"] == 1
    [outstock] = {
        row["FBillNo"] for row in site.erp_rows("SAL_OUTSTOCK", ["FBillNo"], "FDocumentStatus = 'C'")
    }
    SyncFlow.objects.filter(slug="shipments").update(enabled=False)
    SyncFlow.objects.filter(slug="shipments-outstock").update(enabled=True)

    run = site.run("shipments-outstock")

    assert (run.read_count, run.created_count) == (1, 1), run.message
    note_id = site.first_id("DeliveryNoteObj", name=outstock)
    assert site.crm.client.get("DeliveryNoteObj", note_id)["sales_order_id"] == order_id
    lines = site.crm_lines("DeliveryNoteProductObj", "delivery_note_id", note_id)
    assert [Decimal(line["delivery_num"]) for line in lines] == [Decimal(3), Decimal("2.5")]


def test_a_receipt_becomes_a_payment_linked_to_account_and_order(site, order):
    order_id, account = order
    [customer] = site.erp_rows("SAL_SaleOrder", ["FCustId.FNumber"], f"FBillNo = '{ORDER_NUMBER}'")[:1]
    model = {
        "FDATE": "2026-10-20",
        "FCONTACTUNITTYPE": "BD_Customer",
        "FCONTACTUNIT": {"FNumber": customer["FCustId.FNumber"]},
        "FSETTLEORGID": {"FNumber": "101"},
        "FREMARK": "首付款",
        "FRECEIVEBILLENTRY": [
            {
                "FSETTLETYPEID": {"FNumber": "JSFS04_SYS"},
                "FPURPOSEID": {"FNumber": "SFKYT02_SYS"},
                "FRECTOTALAMOUNTFOR": "200.00",
                "FACCOUNTID": {"FNumber": "YHZH001"},
                "FSALEORDERNO": ORDER_NUMBER,
                "FCOMMENT": "预收",
            },
            {
                "FSETTLETYPEID": {"FNumber": "JSFS04_SYS"},
                "FRECTOTALAMOUNTFOR": "52.50",
                "FACCOUNTID": {"FNumber": "YHZH001"},
                "FSALEORDERNO": ORDER_NUMBER,
            },
        ],
    }
    receipt = site.erp.client.save("AR_RECEIVEBILL", model, is_auto_submit_and_audit=True).number

    run = site.run("receipts")

    assert run.status == RunStatus.SUCCEEDED, run.message
    payment_id = site.first_id("PaymentObj", name=receipt)
    payment = site.crm.client.get("PaymentObj", payment_id)
    assert {key: payment.get(key) for key in ("account_id", "order_id", "payment_term", "remark")} == {
        "account_id": account,
        "order_id": order_id,
        "payment_term": "2",
        "remark": "首付款",
    }
    assert payment["payment_time"] == beijing_ms("2026-10-20T00:00:00")
    assert Decimal(payment["payment_amount"]) == Decimal("252.50")
    lines = site.crm_lines("OrderPaymentObj", "payment_id", payment_id)
    assert [
        (line["order_id"], line["account_id"], Decimal(line["payment_amount"]), line.get("remark"))
        for line in lines
    ] == [
        (order_id, account, Decimal("200.00"), "预收"),
        (order_id, account, Decimal("52.50"), None),
    ]


def test_a_receipt_for_an_order_not_synced_waits_for_it(site):
    existing = site.erp_tenant["existing_customers"][0]
    model = {
        "FCONTACTUNITTYPE": "BD_Customer",
        "FCONTACTUNIT": {"FNumber": existing["number"]},
        "FRECEIVEBILLENTRY": [
            {
                "FSETTLETYPEID": {"FNumber": "JSFS01_SYS"},
                "FRECTOTALAMOUNTFOR": "10",
                "FSALEORDERNO": "SO-NOT-IN-CRM",
            }
        ],
    }
    site.run("customers")
    receipt = site.erp.client.save("AR_RECEIVEBILL", model, is_auto_submit_and_audit=True)

    site.run("receipts")

    outcome = site.outcome("receipts", str(receipt.id))
    assert outcome.status == "waiting" and "sales-orders: SO-NOT-IN-CRM" in outcome.waiting_for
