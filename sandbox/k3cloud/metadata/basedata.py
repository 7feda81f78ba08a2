"""Base-data forms: customers, materials, contacts and what they reference."""

from sandbox.k3cloud.metadata.common import ORG, base_data, simple_base_data
from sandbox.k3cloud.metadata.types import BOOL, DECIMAL, LOCALE, REF, Entity, Field, SameAs

ASSISTANT = "BOS_ASSISTANTDATA_DETAIL"
CURRENCY = "BD_Currency"
UNIT = "BD_UNIT"
SALESMAN = "BD_Saler"
DEPARTMENT = "BD_Department"
STOCK = "BD_STOCK"
CUSTOMER = "BD_Customer"
MATERIAL = "BD_MATERIAL"
CONTACT = "BD_COMMONCONTACT"


def _customer():
    contact = "FT_BD_CUSTCONTACT"
    bank = "FT_BD_CUSTBANK"
    location = "FT_BD_CUSTLOCATION"
    fields = [
        Field("FShortName", "简称", LOCALE),
        Field("FCOUNTRY", "国家", REF, ref=ASSISTANT),
        Field("FPROVINCIAL", "省份", REF, ref=ASSISTANT),
        Field("FADDRESS", "通讯地址"),
        Field("FZIP", "邮政编码"),
        Field("FTEL", "联系电话"),
        Field("FFAX", "传真"),
        Field("FWEBSITE", "公司网址"),
        Field("FTAXREGISTERCODE", "纳税登记号"),
        Field("FSOCIALCRECODE", "统一社会信用代码"),
        Field("FINVOICETITLE", "发票抬头"),
        Field("FINVOICEBANKNAME", "开户银行"),
        Field("FINVOICEBANKACCOUNT", "银行账号"),
        Field("FINVOICETEL", "开票联系电话"),
        Field("FINVOICEADDRESS", "开票通讯地址"),
        Field("FCustTypeId", "客户类别", REF, ref=ASSISTANT, default="KHLB001_SYS"),
        Field("FGroup", "客户分组", REF, ref="BD_CustomerGroup"),
        Field("FTRADINGCURRID", "结算币别", REF, ref=CURRENCY, default="PRE001"),
        Field("FSETTLETYPEID", "结算方式", REF, ref="BD_SETTLETYPE"),
        Field("FRECCONDITIONID", "收款条件", REF, ref="BD_RecCondition"),
        Field("FSELLER", "销售员", REF, ref=SALESMAN),
        Field("FSALDEPTID", "销售部门", REF, ref=DEPARTMENT),
        Field("FDescription", "描述", LOCALE),
        Field("FNUMBER1", "地点编码", entity=contact),
        Field("FNAME1", "地点名称", entity=contact),
        Field("FADDRESS1", "通讯地址", entity=contact),
        Field("FMOBILE", "移动电话", entity=contact),
        Field("FTTel", "固定电话", entity=contact),
        Field("FIsDefaultConsignee", "默认收货地点", BOOL, entity=contact),
        Field("FBANKCODE", "银行账号", entity=bank, required=True),
        Field("FACCOUNTNAME", "账户名称", entity=bank),
        Field("FOpenBankName", "开户银行", entity=bank),
        Field("FCURRENCYID", "币别", REF, ref=CURRENCY, entity=bank),
        Field("FISDEFAULT1", "默认", BOOL, entity=bank),
        Field("FContactId", "联系人", REF, ref=CONTACT, entity=location, required=True),
        Field("FIsDefaultContact", "默认联系人", BOOL, entity=location),
    ]
    entities = [
        Entity(contact, "地址信息", pk="FENTRYID"),
        Entity(bank, "银行信息", pk="FENTRYID"),
        Entity(location, "联系人", pk="FENTRYID"),
    ]
    return base_data(
        CUSTOMER,
        "客户",
        "FCUSTID",
        fields,
        org=True,
        allocatable=True,
        name_caption="客户名称",
        prefix="CUST",
        entities=entities,
    )


def _material():
    fields = [
        Field("FSpecification", "规格型号", LOCALE),
        Field("FMnemonicCode", "助记码"),
        Field("FMaterialGroup", "物料分组", REF, ref="BD_MaterialGroup"),
        Field("FDescription", "描述", LOCALE),
        # A tenant's own field (F_<developer code>_...), as sites add for the list price the
        # CRM shows: the ERP's price lists are not simulated.
        Field("F_PAEZ_SalePrice", "参考售价", DECIMAL),
        Field("FErpClsID", "物料属性", subhead="SubHeadEntity", default="1"),
        Field("FBaseUnitId", "基本单位", REF, ref=UNIT, subhead="SubHeadEntity", required=True),
        Field(
            "FStoreUnitID", "库存单位", REF, ref=UNIT, subhead="SubHeadEntity1", default=SameAs("FBaseUnitId")
        ),
        Field("FStockId", "仓库", REF, ref=STOCK, subhead="SubHeadEntity1"),
        Field(
            "FSaleUnitId", "销售单位", REF, ref=UNIT, subhead="SubHeadEntity2", default=SameAs("FBaseUnitId")
        ),
    ]
    subheads = {"SubHeadEntity": "基本", "SubHeadEntity1": "库存", "SubHeadEntity2": "销售"}
    return base_data(
        MATERIAL, "物料", "FMATERIALID", fields, org=True, allocatable=True, prefix="CH", subheads=subheads
    )


def _contact():
    fields = [
        Field("FCompanyType", "所属公司类型", default=CUSTOMER),
        Field("FCompany", "所属公司", REF, ref=CUSTOMER, ref_type_field="FCompanyType"),
        Field("FMobile", "移动电话"),
        Field("FTel", "固定电话"),
        Field("FEmail", "电子邮箱"),
        Field("FPost", "职务"),
        Field("FBizAddress", "详细地址"),
    ]
    return base_data(
        CONTACT, "联系人", "FContactId", fields, org=True, name_caption="姓名", prefix="CXR", digits=6
    )


def forms():
    """Every base-data form of the simulated ERP."""
    return [
        simple_base_data(ORG, "组织机构", "FORGID", "", fields=[Field("FOrgFormID", "组织形态")]),
        simple_base_data("SEC_User", "用户", "FUserID", "USR", fields=[Field("FPhone", "移动电话")]),
        simple_base_data(CURRENCY, "币别", "FCURRENCYID", "PRE", fields=[Field("FCode", "货币代码")]),
        simple_base_data(UNIT, "计量单位", "FUNITID", "UNIT"),
        simple_base_data(
            ASSISTANT,
            "辅助资料",
            "FEntryID",
            "FZZL",
            name_key="FDataValue",
            name_caption="辅助资料名称",
            fields=[Field("FGroupNumber", "类别")],
        ),
        simple_base_data("BD_SETTLETYPE", "结算方式", "FID", "JSFS"),
        simple_base_data("BD_RecCondition", "收款条件", "FID", "SKTJ"),
        simple_base_data("BD_RateType", "汇率类型", "FRATETYPEID", "HLTX"),
        simple_base_data(DEPARTMENT, "部门", "FDEPTID", "BM"),
        simple_base_data(SALESMAN, "销售员", "fid", "XSY", fields=[Field("FMobile", "移动电话")]),
        simple_base_data(STOCK, "仓库", "FStockId", "CK"),
        simple_base_data(
            "BOS_BillType", "单据类型", "FBILLTYPEID", "BT", fields=[Field("FBillFormID", "单据")]
        ),
        simple_base_data("CN_RECPAYPURPOSE", "收付款用途", "FID", "SFKYT"),
        simple_base_data("CN_BANKACNT", "银行账号", "FBANKACNTID", "YHZH"),
        simple_base_data("BD_MaterialGroup", "物料分组", "FID", "WLFZ"),
        simple_base_data("BD_CustomerGroup", "客户分组", "FID", "KHFZ"),
        _customer(),
        _material(),
        _contact(),
    ]
