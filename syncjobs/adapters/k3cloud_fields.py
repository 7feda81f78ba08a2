"""The fields of the K3Cloud forms in the form catalog: their types, places and labels.

The ERP's Web API offers no cheap field listing, so the fields people map are listed here,
next to the form catalog (``k3cloud_forms``) that knows the forms' keys, entries and
sub-heads. The mapping editor's pickers show them (``syncjobs.queries.k3cloud_fields``) and
the engine checks payloads against their types before a Save (``target_fields``). Paths are
those a mapping row uses: a base-data reference by its number (``FCustId.FNumber``), a
sub-head field under its sub-head (``FSaleOrderFinance.FSettleCurrId.FNumber``), an entry
field under its entry (``FSaleOrderEntry[].FQty``).

Decimal places: K3Cloud keeps quantities, prices, amounts and rates in ``decimal(23,10)``
columns (13 digits before the point, 10 after). Single source: a public K3Cloud BOS report
plugin that copies T_SAL_ORDERENTRY's FQTY/FPRICE/FAMOUNT into ``DECIMAL(23,10)`` columns;
the Web API documentation says nothing of it. A form may round to fewer places on save
(its precision settings); the hub refuses only what no column can hold.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from syncjobs.mapping.targets import DECIMAL as DECIMAL_KIND
from syncjobs.mapping.targets import INTEGER, TargetField
from syncjobs.mapping.targets import TEXT as TEXT_KIND

TEXT, DECIMAL, INT, DATE, DATETIME, BOOL, REF = "text", "decimal", "int", "date", "datetime", "bool", "ref"


@dataclass(frozen=True)
class FormField:
    """One field: key, label, type; where it sits (entry, sub-head); what a reference points to."""

    key: str
    label: str
    type: str = TEXT
    ref: str = ""
    entry: str = ""
    subhead: str = ""
    required: bool = False
    readonly: bool = False
    options: tuple = ()  # ((value, label), ...) for fields taking a fixed set of codes

    @property
    def path(self):
        """The mapping path of the field's value (a reference by its number)."""
        parts = [f"{self.entry}[]" if self.entry else "", self.subhead, self.key]
        path = ".".join(part for part in parts if part)
        return f"{path}.FNumber" if self.type == REF else path


def F(key, label, type=TEXT, **extra):  # noqa: N802 - a table reads better with a short name
    return FormField(key, label, type, **extra)


DOCUMENT_STATUS = (
    ("Z", _("Temporary")),
    ("A", _("Created")),
    ("B", _("Being audited")),
    ("C", _("Audited")),
    ("D", _("Re-audit")),
)
FORBID_STATUS = (("A", _("In use")), ("B", _("Forbidden")))
MATERIAL_ATTRIBUTES = (
    ("1", _("Purchased")),
    ("2", _("Self-made")),
    ("3", _("Subcontracted")),
    ("5", _("Virtual")),
)


def _base(*fields, org=True, name_key="FName"):
    head = [F("FNumber", _("Code")), F(name_key, _("Name"), required=True)]
    if org:
        head += [
            F("FCreateOrgId", _("Creating organisation"), REF, ref="ORG_Organizations"),
            F("FUseOrgId", _("Using organisation"), REF, ref="ORG_Organizations"),
        ]
    tail = [
        F("FDocumentStatus", _("Data status"), readonly=True, options=DOCUMENT_STATUS),
        F("FForbidStatus", _("Forbid status"), readonly=True, options=FORBID_STATUS),
        F("FModifyDate", _("Modified"), DATETIME, readonly=True),
        F("FApproveDate", _("Audit date"), DATETIME, readonly=True),
    ]
    return (*head, *fields, *tail)


def _bill(*fields):
    head = [
        F("FBillNo", _("Document number")),
        F("FBillTypeID", _("Document type"), REF, ref="BOS_BillType"),
        F("FDate", _("Date"), DATE, required=True),
    ]
    tail = [
        F("FDocumentStatus", _("Document status"), readonly=True, options=DOCUMENT_STATUS),
        F("FModifyDate", _("Modified"), DATETIME, readonly=True),
        F("FApproveDate", _("Audit date"), DATETIME, readonly=True),
    ]
    return (*head, *fields, *tail)


def _priced(entry):
    return (
        F("FPrice", _("Price"), DECIMAL, entry=entry),
        F("FTaxPrice", _("Price with tax"), DECIMAL, entry=entry),
        F("FEntryTaxRate", _("Tax rate %"), DECIMAL, entry=entry),
        F("FIsFree", _("Free of charge"), BOOL, entry=entry),
        F("FAmount", _("Amount"), DECIMAL, entry=entry, readonly=True),
        F("FTaxAmount", _("Tax"), DECIMAL, entry=entry, readonly=True),
        F("FAllAmount", _("Amount with tax"), DECIMAL, entry=entry, readonly=True),
    )


def _from_order(entry):
    return (
        F("FSrcType", _("Source document type"), entry=entry),
        F("FSrcBillNo", _("Source document number"), entry=entry),
        F("FSoorDerno", _("Sales order number"), entry=entry),
        F("FSOEntryId", _("Sales order line ID"), INT, entry=entry),
    )


def _parties(customer_key, sub):
    return (
        F(customer_key, _("Customer"), REF, ref="BD_Customer", required=True),
        F("FReceiverID", _("Receiving customer"), REF, ref="BD_Customer"),
        F("FSettleID", _("Settling customer"), REF, ref="BD_Customer"),
        F("FSalesManID", _("Salesperson"), REF, ref="BD_Saler"),
        F("FSaleDeptID", _("Sales department"), REF, ref="BD_Department"),
        F("FNote", _("Remark")),
        F("FSettleCurrID", _("Settlement currency"), REF, ref="BD_Currency", subhead=sub),
        F("FIsIncludedTax", _("Prices include tax"), BOOL, subhead=sub),
    )


FIELDS = {
    "bd_customer": _base(
        F("FShortName", _("Short name")),
        F("FCOUNTRY", _("Country"), REF, ref="BOS_ASSISTANTDATA_DETAIL"),
        F("FPROVINCIAL", _("Province"), REF, ref="BOS_ASSISTANTDATA_DETAIL"),
        F("FADDRESS", _("Address")),
        F("FZIP", _("Post code")),
        F("FTEL", _("Telephone")),
        F("FFAX", _("Fax")),
        F("FWEBSITE", _("Website")),
        F("FTAXREGISTERCODE", _("Tax registration number")),
        F("FSOCIALCRECODE", _("Unified social credit code")),
        F("FINVOICETITLE", _("Invoice title")),
        F("FINVOICEBANKNAME", _("Invoice bank")),
        F("FINVOICEBANKACCOUNT", _("Invoice bank account")),
        F("FINVOICETEL", _("Invoice telephone")),
        F("FINVOICEADDRESS", _("Invoice address")),
        F("FCustTypeId", _("Customer type"), REF, ref="BOS_ASSISTANTDATA_DETAIL"),
        F("FGroup", _("Customer group"), REF, ref="BD_CustomerGroup"),
        F("FTRADINGCURRID", _("Settlement currency"), REF, ref="BD_Currency"),
        F("FSETTLETYPEID", _("Settlement method"), REF, ref="BD_SETTLETYPE"),
        F("FRECCONDITIONID", _("Collection terms"), REF, ref="BD_RecCondition"),
        F("FSELLER", _("Salesperson"), REF, ref="BD_Saler"),
        F("FSALDEPTID", _("Sales department"), REF, ref="BD_Department"),
        F("FDescription", _("Description")),
        F("FNUMBER1", _("Location code"), entry="FT_BD_CUSTCONTACT"),
        F("FNAME1", _("Location name"), entry="FT_BD_CUSTCONTACT"),
        F("FADDRESS1", _("Location address"), entry="FT_BD_CUSTCONTACT"),
        F("FMOBILE", _("Mobile"), entry="FT_BD_CUSTCONTACT"),
        F("FTTel", _("Telephone"), entry="FT_BD_CUSTCONTACT"),
        F("FIsDefaultConsignee", _("Default consignee"), BOOL, entry="FT_BD_CUSTCONTACT"),
        F("FBANKCODE", _("Bank account"), entry="FT_BD_CUSTBANK", required=True),
        F("FACCOUNTNAME", _("Account name"), entry="FT_BD_CUSTBANK"),
        F("FOpenBankName", _("Bank"), entry="FT_BD_CUSTBANK"),
        F("FCURRENCYID", _("Currency"), REF, ref="BD_Currency", entry="FT_BD_CUSTBANK"),
        F("FContactId", _("Contact"), REF, ref="BD_COMMONCONTACT", entry="FT_BD_CUSTLOCATION"),
    ),
    "bd_material": _base(
        F("FSpecification", _("Specification")),
        F("FMnemonicCode", _("Mnemonic code")),
        F("FMaterialGroup", _("Material group"), REF, ref="BD_MaterialGroup"),
        F("FDescription", _("Description")),
        F("FErpClsID", _("Material attribute"), subhead="SubHeadEntity", options=MATERIAL_ATTRIBUTES),
        F("FBaseUnitId", _("Base unit"), REF, ref="BD_UNIT", subhead="SubHeadEntity", required=True),
        F("FStoreUnitID", _("Stock unit"), REF, ref="BD_UNIT", subhead="SubHeadEntity1"),
        F("FStockId", _("Warehouse"), REF, ref="BD_STOCK", subhead="SubHeadEntity1"),
        F("FSaleUnitId", _("Sales unit"), REF, ref="BD_UNIT", subhead="SubHeadEntity2"),
    ),
    "bd_commoncontact": _base(
        F("FCompanyType", _("Company type")),
        F("FCompany", _("Company"), REF, ref="BD_Customer"),
        F("FMobile", _("Mobile")),
        F("FTel", _("Telephone")),
        F("FEmail", _("E-mail")),
        F("FPost", _("Position")),
        F("FBizAddress", _("Address")),
    ),
    "org_organizations": _base(F("FOrgFormID", _("Organisation form")), org=False),
    "sal_saleorder": _bill(
        F("FSaleOrgId", _("Sales organisation"), REF, ref="ORG_Organizations"),
        F("FCustId", _("Customer"), REF, ref="BD_Customer", required=True),
        F("FSaleDeptId", _("Sales department"), REF, ref="BD_Department"),
        F("FSalerId", _("Salesperson"), REF, ref="BD_Saler"),
        F("FReceiveId", _("Receiving customer"), REF, ref="BD_Customer"),
        F("FSettleId", _("Settling customer"), REF, ref="BD_Customer"),
        F("FChargeId", _("Paying customer"), REF, ref="BD_Customer"),
        F("FBusinessType", _("Business type")),
        F("FNote", _("Remark")),
        F("FSettleCurrId", _("Settlement currency"), REF, ref="BD_Currency", subhead="FSaleOrderFinance"),
        F("FRecConditionId", _("Collection terms"), REF, ref="BD_RecCondition", subhead="FSaleOrderFinance"),
        F("FExchangeRate", _("Exchange rate"), DECIMAL, subhead="FSaleOrderFinance"),
        F("FIsIncludedTax", _("Prices include tax"), BOOL, subhead="FSaleOrderFinance"),
        F("FBillAllAmount", _("Total with tax"), DECIMAL, subhead="FSaleOrderFinance", readonly=True),
        F("FMaterialId", _("Material"), REF, ref="BD_MATERIAL", entry="FSaleOrderEntry", required=True),
        F("FUnitID", _("Sales unit"), REF, ref="BD_UNIT", entry="FSaleOrderEntry"),
        F("FQty", _("Quantity"), DECIMAL, entry="FSaleOrderEntry", required=True),
        *_priced("FSaleOrderEntry"),
        F("FDeliveryDate", _("Delivery date"), DATE, entry="FSaleOrderEntry"),
        F("FEntryNote", _("Line remark"), entry="FSaleOrderEntry"),
        F("FNeedRecAdvance", _("Advance payment"), BOOL, entry="FSaleOrderPlan"),
        F("FRecAdvanceRate", _("Advance rate %"), DECIMAL, entry="FSaleOrderPlan"),
        F("FMustDate", _("Due date"), DATE, entry="FSaleOrderPlan"),
        F("FRecAmount", _("Amount due"), DECIMAL, entry="FSaleOrderPlan"),
    ),
    "sal_deliverynotice": _bill(
        F("FSaleOrgId", _("Sales organisation"), REF, ref="ORG_Organizations"),
        F("FDeliveryOrgID", _("Delivering organisation"), REF, ref="ORG_Organizations"),
        *_parties("FCustomerID", "SubHeadEntity"),
        F("FMaterialID", _("Material"), REF, ref="BD_MATERIAL", entry="FEntity", required=True),
        F("FUnitID", _("Sales unit"), REF, ref="BD_UNIT", entry="FEntity"),
        F("FQty", _("Quantity"), DECIMAL, entry="FEntity", required=True),
        *_priced("FEntity"),
        F("FDeliveryDate", _("Delivery date"), DATE, entry="FEntity"),
        F("FStockID", _("Warehouse"), REF, ref="BD_STOCK", entry="FEntity"),
        *_from_order("FEntity"),
    ),
    "sal_outstock": _bill(
        F("FSaleOrgId", _("Sales organisation"), REF, ref="ORG_Organizations"),
        F("FStockOrgId", _("Delivering organisation"), REF, ref="ORG_Organizations"),
        *_parties("FCustomerID", "SubHeadEntity"),
        F("FMaterialID", _("Material"), REF, ref="BD_MATERIAL", entry="FEntity", required=True),
        F("FUnitID", _("Stock unit"), REF, ref="BD_UNIT", entry="FEntity"),
        F("FMustQty", _("Quantity due"), DECIMAL, entry="FEntity"),
        F("FRealQty", _("Quantity shipped"), DECIMAL, entry="FEntity", required=True),
        *_priced("FEntity"),
        F("FStockID", _("Warehouse"), REF, ref="BD_STOCK", entry="FEntity", required=True),
        *_from_order("FEntity"),
    ),
    "ar_receivebill": _bill(
        F("FCONTACTUNITTYPE", _("Counterparty type")),
        F("FCONTACTUNIT", _("Counterparty"), REF, ref="BD_Customer", required=True),
        F("FPAYUNITTYPE", _("Payer type")),
        F("FPAYUNIT", _("Payer"), REF, ref="BD_Customer"),
        F("FCURRENCYID", _("Currency"), REF, ref="BD_Currency", required=True),
        F("FSETTLEORGID", _("Settlement organisation"), REF, ref="ORG_Organizations"),
        F("FSALEORGID", _("Sales organisation"), REF, ref="ORG_Organizations"),
        F("FPAYORGID", _("Collecting organisation"), REF, ref="ORG_Organizations"),
        F("FSALEERID", _("Salesperson"), REF, ref="BD_Saler"),
        F("FSALEDEPTID", _("Sales department"), REF, ref="BD_Department"),
        F("FREMARK", _("Remark")),
        F("FRECAMOUNTFOR", _("Amount received"), DECIMAL, readonly=True),
        F(
            "FSETTLETYPEID",
            _("Settlement method"),
            REF,
            ref="BD_SETTLETYPE",
            entry="FRECEIVEBILLENTRY",
            required=True,
        ),
        F("FPURPOSEID", _("Purpose"), REF, ref="CN_RECPAYPURPOSE", entry="FRECEIVEBILLENTRY"),
        F("FRECTOTALAMOUNTFOR", _("Amount due"), DECIMAL, entry="FRECEIVEBILLENTRY", required=True),
        F("FRECAMOUNTFOR_E", _("Amount received"), DECIMAL, entry="FRECEIVEBILLENTRY"),
        F("FACCOUNTID", _("Our bank account"), REF, ref="CN_BANKACNT", entry="FRECEIVEBILLENTRY"),
        F("FSALEORDERNO", _("Sales order number"), entry="FRECEIVEBILLENTRY"),
        F("FSaleOrderID", _("Sales order ID"), INT, entry="FRECEIVEBILLENTRY"),
        F("FPOSTDATE", _("Posting date"), DATE, entry="FRECEIVEBILLENTRY"),
        F("FCOMMENT", _("Line remark"), entry="FRECEIVEBILLENTRY"),
    ),
}
# Reference forms whose name is not FName.
NAME_KEYS = {"bos_assistantdata_detail": "FDataValue"}
# decimal(23,10): see the module's docstring for the source.
DECIMAL_DIGITS, DECIMAL_SCALE = 23, 10
_KINDS = {
    TEXT: TargetField(TEXT_KIND),
    REF: TargetField(TEXT_KIND),  # the reference's number (FNumber) is text
    DECIMAL: TargetField(DECIMAL_KIND, DECIMAL_DIGITS, DECIMAL_SCALE),
    INT: TargetField(INTEGER),
}


def listed_fields(form_id):
    """The listed ``FormField``s of ``form_id``, or None for a form outside the list."""
    listed = FIELDS.get(str(form_id).lower())
    return None if listed is None else list(listed)


def target_fields(form_id):
    """``{mapping path (lower case): TargetField}`` for the listed fields of ``form_id`` with a checked type.

    Dates, times and booleans are left out: the ERP parses those itself, and a wrong one is
    refused with the field named, per row.
    """
    return {
        field.path.lower(): _KINDS[field.type]
        for field in listed_fields(form_id) or ()
        if field.type in _KINDS
    }
