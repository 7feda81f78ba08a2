"""Builders for the fields every base-data form and every bill has."""

from sandbox.k3cloud.metadata.types import (
    CURRENT_ORG,
    DATE,
    DATETIME,
    INT,
    LOCALE,
    REF,
    TODAY,
    Field,
    Form,
    SameAs,
)

ORG = "ORG_Organizations"
USER = "SEC_User"


def audit_fields(base):
    """Status and who/when fields kept by the ERP itself (readonly on input)."""
    fields = [
        Field("FDocumentStatus", "数据状态" if base else "单据状态", readonly=True),
        Field("FCreatorId", "创建人", REF, ref=USER, readonly=True),
        Field("FCreateDate", "创建日期", DATETIME, readonly=True),
        Field("FModifierId", "修改人", REF, ref=USER, readonly=True),
        Field("FModifyDate", "修改日期", DATETIME, readonly=True),
        Field("FApproverId", "审核人", REF, ref=USER, readonly=True),
        Field("FApproveDate", "审核日期", DATETIME, readonly=True),
    ]
    if base:
        fields += [
            Field("FForbidStatus", "禁用状态", readonly=True),
            Field("FForbidderId", "禁用人", REF, ref=USER, readonly=True),
            Field("FForbidDate", "禁用日期", DATETIME, readonly=True),
        ]
    else:
        fields += [
            Field("FCancelStatus", "作废状态", readonly=True),
            Field("FCancellerId", "作废人", REF, ref=USER, readonly=True),
            Field("FCancelDate", "作废日期", DATETIME, readonly=True),
        ]
    return fields


def base_data(
    form_id,
    caption,
    pk,
    fields=(),
    *,
    org=False,
    allocatable=False,
    name_key="FName",
    name_caption="名称",
    prefix="",
    digits=4,
    entities=(),
    subheads=None,
    compute=None,
):
    """A base-data form: FNumber, a multilingual name, statuses, optionally organisations."""
    head = [Field(pk, "内码", INT, readonly=True), Field("FNumber", "编码")]
    head.append(Field(name_key, name_caption, LOCALE, required=True))
    if org:
        head += [
            Field("FCreateOrgId", "创建组织", REF, ref=ORG, required=True, default=CURRENT_ORG),
            Field("FUseOrgId", "使用组织", REF, ref=ORG, required=True, default=SameAs("FCreateOrgId")),
        ]
    if allocatable:
        head.append(Field("FMASTERID", "主数据内码", INT, readonly=True))
    return Form(
        form_id=form_id,
        caption=caption,
        kind="base",
        pk=pk,
        fields=head + list(fields) + audit_fields(base=True),
        entities=list(entities),
        subheads=dict(subheads or {}),
        number_prefix=prefix,
        number_digits=digits,
        org_key="FUseOrgId" if org else None,
        allocatable=allocatable,
        name_key=name_key,
        compute=compute,
    )


def simple_base_data(form_id, caption, pk, prefix, fields=(), name_key="FName", name_caption="名称"):
    """Base data without organisations (currencies, units, settlement types, ...)."""
    return base_data(
        form_id, caption, pk, fields, name_key=name_key, name_caption=name_caption, prefix=prefix
    )


def bill(
    form_id,
    caption,
    fields,
    *,
    entities,
    bill_type,
    prefix,
    org_key,
    digits=6,
    date_caption="日期",
    subheads=None,
    compute=None,
):
    """A document: FID, FBillNo, bill type, date, statuses and the given fields."""
    head = [
        Field("FID", "实体主键", INT, readonly=True),
        Field("FBillNo", "单据编号"),
        Field("FBillTypeID", "单据类型", REF, ref="BOS_BillType", required=True, default=bill_type),
        Field("FDate", date_caption, DATE, required=True, default=TODAY),
    ]
    return Form(
        form_id=form_id,
        caption=caption,
        kind="bill",
        pk="FID",
        fields=head + list(fields) + audit_fields(base=False),
        entities=list(entities),
        subheads=dict(subheads or {}),
        number_prefix=prefix,
        number_digits=digits,
        org_key=org_key,
        name_key=None,
        compute=compute,
    )


def link_fields(entity_key):
    """The fields of an entry's link rows (``<Entity>_Link``): where each line came from."""
    link = f"{entity_key}_Link"
    return [
        Field(f"{link}_FRuleId", "转换规则", entity=link),
        Field(f"{link}_FSTableName", "源单表", entity=link),
        Field(f"{link}_FSBillId", "源单内码", INT, entity=link),
        Field(f"{link}_FSId", "源单分录内码", INT, entity=link),
        Field(f"{link}_FBaseUnitQty", "携带数量", "decimal", entity=link),
        Field(f"{link}_FBaseUnitQtyOld", "原携带数量", "decimal", entity=link),
    ]
