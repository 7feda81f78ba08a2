"""Where orders, shipments and receipts live on each side, and which fields date and total them.

The CRM keeps them as SalesOrderObj, DeliveryNoteObj and PaymentObj; the ERP as sales orders,
delivery notices or outbound documents (whichever the hub's flows sync), and receipts.
Amounts are tax-inclusive totals on both sides (``order_amount`` / ``FBillAllAmount``).
"""

from dataclasses import dataclass

from syncjobs.engine.options import FlowOptions, OptionsError
from syncjobs.models import DocumentKind, SyncFlow


@dataclass(frozen=True)
class Side:
    """One object of one system: where its documents are dated and totalled."""

    obj: str
    date_path: str
    amount_path: str


CRM_SIDES = {
    DocumentKind.ORDER: Side("SalesOrderObj", "order_time", "order_amount"),
    DocumentKind.SHIPMENT: Side("DeliveryNoteObj", "delivery_date", "total_delivery_money"),
    DocumentKind.RECEIPT: Side("PaymentObj", "payment_time", "payment_amount"),
}
# The first ERP form of a kind is used when no flow names one of them.
ERP_SIDES = {
    DocumentKind.ORDER: (Side("SAL_SaleOrder", "FDate", "FSaleOrderFinance.FBillAllAmount"),),
    DocumentKind.SHIPMENT: (
        Side("SAL_DELIVERYNOTICE", "FDate", "SubHeadEntity.FBillAllAmount"),
        Side("SAL_OUTSTOCK", "FDate", "SubHeadEntity.FBillAllAmount"),
    ),
    DocumentKind.RECEIPT: (Side("AR_RECEIVEBILL", "FDate", "FRECAMOUNTFOR"),),
}


@dataclass(frozen=True)
class Plan:
    """What to compare for one kind of document between two connectors."""

    kind: str
    crm: Side
    erp: Side
    erp_audited_only: bool = False  # as the flow reads the ERP: only audited documents count


def plans(crm, erp):
    """One ``Plan`` per kind, following the flows between ``crm`` and ``erp``.

    An enabled flow between the kind's objects (either direction) decides the ERP form
    (delivery notices or outbound documents) and whether only audited ERP documents count.
    """
    flows = list(
        SyncFlow.objects.filter(source_connector__in=[crm, erp], target_connector__in=[crm, erp]).order_by(
            "-enabled", "pk"
        )
    )
    return [_plan(kind, flows) for kind in DocumentKind.values]


def _plan(kind, flows):
    crm_side = CRM_SIDES[kind]
    for flow in flows:
        objects = {flow.source_object, flow.target_object}
        for erp_side in ERP_SIDES[kind]:
            if objects == {crm_side.obj, erp_side.obj}:
                return Plan(kind, crm_side, erp_side, _audited_only(flow, erp_side))
    return Plan(kind, crm_side, ERP_SIDES[kind][0])


def _audited_only(flow, erp_side):
    if flow.source_object != erp_side.obj:
        return False  # the ERP is the target: the hub writes documents there, whatever their status
    try:
        return FlowOptions.of(flow).audited_only
    except OptionsError:
        return False
