"""The ERP's clerks at work: what happens to sales orders after the hub delivered them.

For every sales order that reached the ERP (saved, submitted or unaudited — drafts are
left to their owner) the clerks submit and audit it. Then, for a seeded share ``ship`` of
the audited orders not yet shipped, they push a delivery notice (choosing a stock where a
line has none), audit it, push the outbound document and audit that; and for a share
``receive`` of the audited orders not yet paid, they record a receipt against the order
(all of it, or a deposit) and audit it. Shipments and receipts therefore always descend
from real, audited orders. Running it again only acts on what is left.
"""

import random
from decimal import Decimal

from django.db import transaction

from sandbox.k3cloud import links, push, saving, store, workflow
from sandbox.k3cloud.context import Op
from sandbox.k3cloud.metadata import bills, get_form
from sandbox.k3cloud.models import Record, Tenant
from sandbox.k3cloud.seeding import CLERK
from sandbox.routers import SANDBOX_DB

DEFAULT_STOCK = "CK001"
RECEIPT_SHARES = (Decimal(1), Decimal(1), Decimal("0.3"))  # mostly paid in full, sometimes a deposit


def simulate(tenant=None, ship=0.6, receive=0.5, seed=7):
    """Act on one account set (``tenant`` = acct_id) or all of them; returns what was done."""
    tenants = Tenant.objects.filter(acct_id=tenant) if tenant else Tenant.objects.all()
    totals = {"tenants": 0, "audited_orders": 0, "delivery_notices": 0, "outstocks": 0, "receipts": 0}
    for found in tenants.order_by("id"):
        with transaction.atomic(using=SANDBOX_DB):
            done = simulate_tenant(found, float(ship), float(receive), seed)
        totals["tenants"] += 1
        for key, value in done.items():
            totals[key] += value
    return totals


def simulate_tenant(tenant, ship, receive, seed):
    op = Op(tenant, acting_user_id=clerk_id(tenant))
    rng = random.Random(seed)  # the same picks for every fresh account set seeded alike
    order_form = get_form(bills.SALE_ORDER)
    done = {
        "audited_orders": _audit_orders(op, order_form),
        "delivery_notices": 0,
        "outstocks": 0,
        "receipts": 0,
    }
    paid = _paid_orders(op)
    orders = Record.objects.filter(tenant=tenant, form=order_form.form_id, document_status="C").order_by("id")
    for record in orders:
        doc = store.doc_from_record(order_form, record)
        if doc.get("FCancelStatus") == "B":
            continue
        ship_it, pay_it = rng.random() < ship, rng.random() < receive
        share = rng.choice(RECEIPT_SHARES)
        if ship_it and not _shipped(doc):
            notices, outstocks = _ship(op, doc)
            done["delivery_notices"] += notices
            done["outstocks"] += outstocks
        if pay_it and record.number not in paid:
            done["receipts"] += _receive(op, doc, share)
    return done


def clerk_id(tenant):
    """The SEC_User id of the tenant's clerk (``seeding.CLERK``); 0, the API user, for an
    account set seeded before the clerk was."""
    clerks = Record.objects.filter(tenant=tenant, form="SEC_User", number=CLERK[0])
    return clerks.values_list("id", flat=True).first() or 0


def _audit_orders(op, form):
    ids = list(
        Record.objects.filter(
            tenant_id=op.tenant_id, form=form.form_id, document_status__in=("A", "D")
        ).values_list("id", flat=True)
    )
    submitted = list(
        Record.objects.filter(tenant_id=op.tenant_id, form=form.form_id, document_status="B").values_list(
            "id", flat=True
        )
    )
    if ids:
        workflow.submit(op, form, {"Ids": ids})
    if ids or submitted:
        return workflow.audit(op, form, {"Ids": ids + submitted}).rows
    return 0


def _shipped(order):
    rule = links.RULES["saleorder-deliverynotice"]
    return any(links.pushed(row, rule) for row in order.get("FSaleOrderEntry") or [])


def _paid_orders(op):
    receipts = Record.objects.filter(tenant_id=op.tenant_id, form=bills.RECEIVE_BILL).values_list(
        "data", flat=True
    )
    return {row.get("FSALEORDERNO") for data in receipts for row in data.get("FRECEIVEBILLENTRY") or []}


def _push_and_audit(op, source_form, source_id, rule_id, before_audit=None):
    """Push one document on and audit the result; returns the new document's id or None."""
    reply = push.push(op, source_form, {"Ids": str(source_id), "RuleId": rule_id})
    made = reply.payload["Result"]["ResponseStatus"]["SuccessEntitys"]
    if not made:
        return None
    target, new_id = get_form(links.RULES[rule_id.lower()].target), made[0]["Id"]
    if before_audit:
        before_audit(op, target, new_id)
    workflow.submit(op, target, {"Ids": [new_id]})
    workflow.audit(op, target, {"Ids": [new_id]})
    return new_id


def _ship(op, order):
    """Delivery notice, then outbound document, for the whole order: (notices, outstocks) made."""
    notice_id = _push_and_audit(
        op, get_form(bills.SALE_ORDER), order["FID"], "SaleOrder-DeliveryNotice", _fill_stock
    )
    if notice_id is None:
        return 0, 0
    outstock_id = _push_and_audit(op, get_form(bills.DELIVERY_NOTICE), notice_id, "DeliveryNotice-OutStock")
    return 1, 1 if outstock_id else 0


def _fill_stock(op, form, notice_id):
    """The clerk picks the default stock for lines whose material has none."""
    record = Record.objects.get(id=notice_id)
    rows = [
        row for row in store.doc_from_record(form, record).get("FEntity") or [] if not row.get("FStockID")
    ]
    if rows:
        model = {
            "FID": notice_id,
            "FEntity": [
                {"FEntryID": row["FEntryID"], "FStockID": {"FNumber": DEFAULT_STOCK}} for row in rows
            ],
        }
        saving.run(op, form, [model], {"IsDeleteEntry": False, "NeedUpDateFields": ["FStockID"]}, draft=False)


def _receive(op, order, share):
    """A receipt for ``share`` of the order's total, carrying the order number; 1 if made."""
    form = get_form(bills.RECEIVE_BILL)
    amount = (Decimal(order.get("FBillAllAmount") or 0) * share).quantize(Decimal("0.01"))
    number = _number_of(op, order.get("FSaleOrgId"))
    model = {
        "FCONTACTUNITTYPE": "BD_Customer",
        "FCONTACTUNIT": _number_ref(op, order.get("FCustId")),
        "FCURRENCYID": _number_ref(op, order.get("FSettleCurrId")),
        "FSETTLEORGID": {"FNumber": number},
        "FSALEORGID": {"FNumber": number},
        "FSALEERID": _number_ref(op, order.get("FSalerId")),
        "FRECEIVEBILLENTRY": [
            {
                "FSETTLETYPEID": {"FNumber": "JSFS04_SYS"},
                "FPURPOSEID": {"FNumber": "SFKYT01_SYS" if share == 1 else "SFKYT02_SYS"},
                "FRECTOTALAMOUNTFOR": str(amount),
                "FACCOUNTID": {"FNumber": "YHZH001"},
                "FSALEORDERNO": order["FBillNo"],
                "FSaleOrderID": order["FID"],
            }
        ],
    }
    made = saving.run(op, form, [model], {"IsAutoSubmitAndAudit": True}, draft=False)[0]
    return 0 if made.errors else 1


def _number_ref(op, record_id):
    target = op.refs.get(record_id) if record_id else None
    return {"FNumber": target.number} if target else None


def _number_of(op, record_id):
    target = op.refs.get(record_id) if record_id else None
    return target.number if target else ""
