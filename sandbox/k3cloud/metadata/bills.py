"""Sales documents: orders, delivery notices, outbound documents and receipts."""

from sandbox.k3cloud.metadata.basedata import CURRENCY, CUSTOMER, DEPARTMENT, MATERIAL, SALESMAN, STOCK, UNIT
from sandbox.k3cloud.metadata.common import ORG, bill, link_fields
from sandbox.k3cloud.metadata.types import (
    BOOL,
    CURRENT_ORG,
    DATE,
    DECIMAL,
    INT,
    REF,
    Entity,
    Field,
    FromRef,
    SameAs,
)

SALE_ORDER = "SAL_SaleOrder"
DELIVERY_NOTICE = "SAL_DELIVERYNOTICE"
OUTSTOCK = "SAL_OUTSTOCK"
RECEIVE_BILL = "AR_RECEIVEBILL"


def _price_fields(entity):
    """Price, tax and amount fields of a priced line (amounts are computed by the ERP)."""
    return [
        Field("FPrice", "单价", DECIMAL, entity=entity),
        Field("FTaxPrice", "含税单价", DECIMAL, entity=entity),
        Field("FEntryTaxRate", "税率%", DECIMAL, entity=entity),
        Field("FIsFree", "是否赠品", BOOL, entity=entity),
        Field("FAmount", "金额", DECIMAL, entity=entity, readonly=True),
        Field("FTaxAmount", "税额", DECIMAL, entity=entity, readonly=True),
        Field("FAllAmount", "价税合计", DECIMAL, entity=entity, readonly=True),
    ]


def _source_fields(entity):
    """Where a pushed line came from, as the ERP's own push fills them in."""
    return [
        Field("FSrcType", "源单类型", entity=entity),
        Field("FSrcBillNo", "源单编号", entity=entity),
        Field("FSoorDerno", "订单单号", entity=entity),
        Field("FSOEntryId", "销售订单EntryId", INT, entity=entity),
    ]


def _totals(subhead):
    return [
        Field("FBillAmount", "金额", DECIMAL, subhead=subhead, readonly=True),
        Field("FBillTaxAmount", "税额", DECIMAL, subhead=subhead, readonly=True),
        Field("FBillAllAmount", "价税合计", DECIMAL, subhead=subhead, readonly=True),
    ]


def _customer_fields(customer_key):
    return [
        Field(customer_key, "客户", REF, ref=CUSTOMER, required=True),
        Field("FReceiverID", "收货方", REF, ref=CUSTOMER, default=SameAs(customer_key)),
        Field("FSettleID", "结算方", REF, ref=CUSTOMER, default=SameAs(customer_key)),
        Field("FSalesManID", "销售员", REF, ref=SALESMAN),
        Field("FSaleDeptID", "销售部门", REF, ref=DEPARTMENT),
        Field("FNote", "备注"),
    ]


def _sale_order(compute):
    entry, plan, finance = "FSaleOrderEntry", "FSaleOrderPlan", "FSaleOrderFinance"
    fields = [
        Field("FSaleOrgId", "销售组织", REF, ref=ORG, required=True, default=CURRENT_ORG),
        Field("FCustId", "客户", REF, ref=CUSTOMER, required=True),
        Field("FSaleDeptId", "销售部门", REF, ref=DEPARTMENT),
        Field("FSalerId", "销售员", REF, ref=SALESMAN),
        Field("FReceiveId", "收货方", REF, ref=CUSTOMER, default=SameAs("FCustId")),
        Field("FSettleId", "结算方", REF, ref=CUSTOMER, default=SameAs("FCustId")),
        Field("FChargeId", "付款方", REF, ref=CUSTOMER, default=SameAs("FCustId")),
        Field("FBusinessType", "业务类型", default="NORMAL"),
        Field("FNote", "备注"),
        Field("FCloseStatus", "关闭状态", readonly=True),
        Field(
            "FSettleCurrId", "结算币别", REF, ref=CURRENCY, subhead=finance, required=True, default="PRE001"
        ),
        Field("FRecConditionId", "收款条件", REF, ref="BD_RecCondition", subhead=finance),
        Field("FExchangeTypeId", "汇率类型", REF, ref="BD_RateType", subhead=finance, default="HLTX01_SYS"),
        Field("FExchangeRate", "汇率", DECIMAL, subhead=finance, default="1"),
        Field("FIsIncludedTax", "是否含税", BOOL, subhead=finance, default=True),
        *_totals(finance),
        Field("FMaterialId", "物料编码", REF, ref=MATERIAL, entity=entry, required=True),
        Field(
            "FUnitID",
            "销售单位",
            REF,
            ref=UNIT,
            entity=entry,
            required=True,
            default=FromRef("FMaterialId", "FSaleUnitId"),
        ),
        Field("FQty", "销售数量", DECIMAL, entity=entry, required=True),
        *_price_fields(entry),
        Field("FDeliveryDate", "要货日期", DATE, entity=entry, default=SameAs("FDate")),
        Field("FEntryNote", "备注", entity=entry),
        Field("FDeliQty", "累计发货通知数量", DECIMAL, entity=entry, readonly=True),
        Field("FNeedRecAdvance", "是否预收", BOOL, entity=plan),
        Field("FRecAdvanceRate", "应收比例(%)", DECIMAL, entity=plan),
        Field("FMustDate", "到期日", DATE, entity=plan, default=SameAs("FDate")),
        Field("FRecAmount", "应收金额", DECIMAL, entity=plan),
    ]
    entities = [
        Entity(entry, "订单明细", table="T_SAL_ORDERENTRY", min_rows=1),
        Entity(plan, "收款计划"),
    ]
    return bill(
        SALE_ORDER,
        "销售订单",
        fields,
        entities=entities,
        bill_type="XSDD01_SYS",
        prefix="XSDD",
        org_key="FSaleOrgId",
        subheads={finance: "财务信息"},
        compute=compute,
    )


def _delivery_notice(compute):
    entity, finance = "FEntity", "SubHeadEntity"
    fields = [
        Field("FSaleOrgId", "销售组织", REF, ref=ORG, required=True, default=CURRENT_ORG),
        Field("FDeliveryOrgID", "发货组织", REF, ref=ORG, default=SameAs("FSaleOrgId")),
        *_customer_fields("FCustomerID"),
        Field(
            "FSettleCurrID", "结算币别", REF, ref=CURRENCY, subhead=finance, required=True, default="PRE001"
        ),
        Field("FIsIncludedTax", "是否含税", BOOL, subhead=finance, default=True),
        *_totals(finance),
        Field("FMaterialID", "物料编码", REF, ref=MATERIAL, entity=entity, required=True),
        Field(
            "FUnitID",
            "销售单位",
            REF,
            ref=UNIT,
            entity=entity,
            required=True,
            default=FromRef("FMaterialID", "FSaleUnitId"),
        ),
        Field("FQty", "销售数量", DECIMAL, entity=entity, required=True),
        *_price_fields(entity),
        Field("FDeliveryDate", "要货日期", DATE, entity=entity, default=SameAs("FDate")),
        Field("FStockID", "出货仓库", REF, ref=STOCK, entity=entity),
        *_source_fields(entity),
        Field("FSumOutQty", "累计出库数量", DECIMAL, entity=entity, readonly=True),
        *link_fields(entity),
    ]
    entities = [
        Entity(entity, "明细信息", table="T_SAL_DELIVERYNOTICEENTRY", min_rows=1),
        Entity(f"{entity}_Link", "关联关系", pk="FLinkId", parent=entity),
    ]
    return bill(
        DELIVERY_NOTICE,
        "发货通知单",
        fields,
        entities=entities,
        bill_type="FHTZD01_SYS",
        prefix="FHTZD",
        org_key="FSaleOrgId",
        subheads={finance: "财务信息"},
        compute=compute,
    )


def _outstock(compute):
    entity, finance = "FEntity", "SubHeadEntity"
    fields = [
        Field("FSaleOrgId", "销售组织", REF, ref=ORG, required=True, default=CURRENT_ORG),
        Field("FStockOrgId", "发货组织", REF, ref=ORG, required=True, default=SameAs("FSaleOrgId")),
        *_customer_fields("FCustomerID"),
        Field(
            "FSettleCurrID", "结算币别", REF, ref=CURRENCY, subhead=finance, required=True, default="PRE001"
        ),
        Field("FIsIncludedTax", "是否含税", BOOL, subhead=finance, default=True),
        *_totals(finance),
        Field("FMaterialID", "物料编码", REF, ref=MATERIAL, entity=entity, required=True),
        Field(
            "FUnitID",
            "库存单位",
            REF,
            ref=UNIT,
            entity=entity,
            required=True,
            default=FromRef("FMaterialID", "FStoreUnitID"),
        ),
        Field("FMustQty", "应发数量", DECIMAL, entity=entity),
        Field("FRealQty", "实发数量", DECIMAL, entity=entity, required=True),
        *_price_fields(entity),
        Field("FStockID", "仓库", REF, ref=STOCK, entity=entity, required=True),
        *_source_fields(entity),
        *link_fields(entity),
    ]
    entities = [
        Entity(entity, "明细信息", table="T_SAL_OUTSTOCKENTRY", min_rows=1),
        Entity(f"{entity}_Link", "关联关系", pk="FLinkId", parent=entity),
    ]
    return bill(
        OUTSTOCK,
        "销售出库单",
        fields,
        entities=entities,
        bill_type="XSCKD01_SYS",
        prefix="XSCKD",
        org_key="FSaleOrgId",
        subheads={finance: "财务信息"},
        compute=compute,
    )


def _receive_bill(compute):
    entry = "FRECEIVEBILLENTRY"
    fields = [
        Field("FCONTACTUNITTYPE", "往来单位类型", default=CUSTOMER),
        Field(
            "FCONTACTUNIT", "往来单位", REF, ref=CUSTOMER, ref_type_field="FCONTACTUNITTYPE", required=True
        ),
        Field("FPAYUNITTYPE", "付款单位类型", default=CUSTOMER),
        Field(
            "FPAYUNIT",
            "付款单位",
            REF,
            ref=CUSTOMER,
            ref_type_field="FPAYUNITTYPE",
            default=SameAs("FCONTACTUNIT"),
        ),
        Field("FCURRENCYID", "币别", REF, ref=CURRENCY, required=True, default="PRE001"),
        Field("FSETTLEORGID", "结算组织", REF, ref=ORG, required=True, default=CURRENT_ORG),
        Field("FSALEORGID", "销售组织", REF, ref=ORG, default=SameAs("FSETTLEORGID")),
        Field("FPAYORGID", "收款组织", REF, ref=ORG, default=SameAs("FSETTLEORGID")),
        Field("FSALEERID", "销售员", REF, ref=SALESMAN),
        Field("FSALEDEPTID", "销售部门", REF, ref=DEPARTMENT),
        Field("FREMARK", "备注"),
        Field("FRECAMOUNTFOR", "收款金额", DECIMAL, readonly=True),
        Field("FSETTLETYPEID", "结算方式", REF, ref="BD_SETTLETYPE", entity=entry, required=True),
        Field(
            "FPURPOSEID",
            "收款用途",
            REF,
            ref="CN_RECPAYPURPOSE",
            entity=entry,
            required=True,
            default="SFKYT01_SYS",
        ),
        Field("FRECTOTALAMOUNTFOR", "应收金额", DECIMAL, entity=entry, required=True),
        Field("FRECAMOUNTFOR_E", "收款金额", DECIMAL, entity=entry, default=SameAs("FRECTOTALAMOUNTFOR")),
        Field("FACCOUNTID", "我方银行账号", REF, ref="CN_BANKACNT", entity=entry),
        Field("FSALEORDERNO", "销售订单号", entity=entry),
        Field("FSaleOrderID", "销售订单内码", INT, entity=entry),
        Field("FPOSTDATE", "登账日期", DATE, entity=entry, default=SameAs("FDate")),
        Field("FCOMMENT", "备注", entity=entry),
    ]
    entities = [Entity(entry, "收款单明细", min_rows=1)]
    return bill(
        RECEIVE_BILL,
        "收款单",
        fields,
        entities=entities,
        bill_type="SKDLX01_SYS",
        prefix="SKD",
        digits=8,
        org_key="FSALEORGID",
        date_caption="业务日期",
        compute=compute,
    )


def forms(amounts):
    """Every document form; ``amounts`` supplies the ERP's computations per form."""
    return [
        _sale_order(amounts.sale_order),
        _delivery_notice(amounts.delivery_notice),
        _outstock(amounts.outstock),
        _receive_bill(amounts.receive_bill),
    ]
