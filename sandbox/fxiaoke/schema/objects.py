"""The CRM objects the sandbox knows: one definition each, used for validation, describe
output and ``__r`` companions.

Option values are opaque codes, as in a real tenant (``"wuU61s1ex"``, ``"option1"``): a client
must map labels through ``object/describe``, never send the label. Tenant-added fields carry
the platform's ``field_xxxxx__c`` names; the custom object is ``object_Ab12c__c``.

Simplified on purpose: country/province/city/district are area-code selects in a real tenant
(filled from ``/cgi/crm/countryAreaOptions/get``); here they are plain text. Lookups to objects
the sandbox does not hold (price books, warehouses) are plain text as well.
"""

from sandbox.fxiaoke.schema.fields import (
    Field,
    auto_number,
    boolean,
    date,
    employee,
    lookup,
    master,
    money,
    number,
    select,
    text,
)

ACCOUNT_LEVELS = (("4jVu1rm3X", "重要客户"), ("k8Pz2Qa7c", "普通客户"), ("Ns5dE0w1L", "潜在客户"))
ACCOUNT_TYPES = (("1", "终端客户"), ("2", "经销商"), ("3", "合作伙伴"))
ACCOUNT_SOURCES = (("f3Lq9Zr1v", "展会"), ("p0Yc7Ht2m", "官网"), ("other", "其他"))
PRODUCT_UNITS = (("wuU61s1ex", "台"), ("b7Rk3Mn9q", "个"), ("Xe2Vt8Lp0", "米"), ("j5Qw1Zc6d", "套"))
PRODUCT_CATEGORIES = (
    ("option1", "电机"),
    ("option2", "传感器"),
    ("option3", "控制器"),
    ("option4", "线缆"),
    ("option5", "五金"),
)
PRODUCT_STATUSES = (("1", "已上架"), ("2", "已下架"))
ORDER_STATUSES = (("6", "确认中"), ("7", "已确认"), ("10", "已发货"), ("11", "已收货"))
PAYMENT_TERMS = (("1", "现金"), ("2", "银行转账"), ("3", "承兑汇票"), ("other", "其他"))
DELIVERY_STATUSES = (("1", "未发货"), ("2", "已发货"), ("3", "已收货"))
LEADS_STATUSES = (("1", "未分配"), ("2", "待处理"), ("3", "已转换"), ("4", "无效"))
VISIT_RESULTS = (("option1", "有意向"), ("option2", "需跟进"), ("other", "无意向"))
VISIT_WAYS = (("Hb4kT7s2P", "上门拜访"), ("Mw8cR1n5G", "电话拜访"), ("Zq3vY6e9J", "视频会议"))
STAFF_STATUSES = (("0", "启用"), ("1", "停用"))


def _address_fields():
    return (
        text("country", "国家"),
        text("province", "省份"),
        text("city", "城市"),
        text("district", "区"),
        text("address", "详细地址"),
    )


OBJECTS = {
    "AccountObj": {
        "display_name": "客户",
        "fields": (
            text("name", "客户名称", required=True),
            text("account_no", "客户编号"),
            select("account_type", "客户类型", ACCOUNT_TYPES),
            select("account_level", "客户级别", ACCOUNT_LEVELS),
            select("account_source", "来源", ACCOUNT_SOURCES),
            text("tel", "电话", kind="phone_number"),
            text("email", "邮件", kind="email"),
            *_address_fields(),
            text("remark", "备注", kind="long_text"),
            text("field_x2Tax__c", "统一社会信用代码"),
            # Where an integration writes the customer's number in the ERP back (a field the
            # tenant added, as sites do).
            text("field_erpNo__c", "ERP客户编码"),
        ),
    },
    "ContactObj": {
        "display_name": "联系人",
        "fields": (
            text("name", "姓名", required=True),
            lookup("account_id", "客户名称", "AccountObj"),
            text("mobile1", "手机1", kind="phone_number"),
            text("tel1", "电话1", kind="phone_number"),
            text("email", "邮件", kind="email"),
            text("job_title", "职务"),
            text("remark", "备注", kind="long_text"),
        ),
        "duplicate_keys": ("name", "mobile1"),
    },
    "LeadsObj": {
        "display_name": "销售线索",
        "fields": (
            text("name", "姓名", required=True),
            text("company", "公司"),
            text("mobile", "手机", kind="phone_number"),
            text("tel", "电话", kind="phone_number"),
            text("email", "邮件", kind="email"),
            select("leads_status", "线索状态", LEADS_STATUSES),
            select("source", "来源", ACCOUNT_SOURCES),
            text("remark", "备注", kind="long_text"),
        ),
    },
    "ProductObj": {
        "display_name": "产品",
        "fields": (
            text("name", "产品名称", required=True),
            text("product_code", "产品编码"),
            text("product_spec", "规格属性"),
            select("unit", "单位", PRODUCT_UNITS),
            money("price", "标准价格", required=True),
            select("category", "产品分类", PRODUCT_CATEGORIES),
            text("barcode", "条形码"),
            select("product_status", "上下架", PRODUCT_STATUSES),
            text("remark", "备注", kind="long_text"),
        ),
        "duplicate_keys": ("product_code",),
    },
    "SalesOrderObj": {
        "display_name": "销售订单",
        "fields": (
            auto_number("name", "销售订单编号"),
            lookup("account_id", "客户名称", "AccountObj", required=True),
            date("order_time", "下单日期", required=True),
            money("order_amount", "销售订单金额"),
            money("product_amount", "产品合计"),
            number("discount", "整单折扣", kind="percentile"),
            lookup("ship_to_id", "收货人", "ContactObj"),
            text("ship_to_add", "收货地址"),
            date("delivery_date", "交货日期"),
            text("price_book_id", "价目表"),
            select("order_status", "状态", ORDER_STATUSES),
            text("remark", "备注", kind="long_text"),
        ),
        "details": ("SalesOrderProductObj",),
        "auto_prefix": "SO",
    },
    "SalesOrderProductObj": {
        "display_name": "订单产品",
        "fields": (
            auto_number("name", "编号"),
            master("order_id", "销售订单", "SalesOrderObj"),
            lookup("product_id", "产品名称", "ProductObj", required=True),
            number("quantity", "数量", required=True),
            text("unit", "单位"),
            money("product_price", "价格"),
            money("sales_price", "销售单价", required=True),
            number("discount", "折扣", kind="percentile"),
            money("subtotal", "小计"),
            text("price_book_product_id", "价目表明细"),
            text("remark", "备注", kind="long_text"),
        ),
        "auto_prefix": "SOP",
    },
    "PaymentObj": {
        "display_name": "回款",
        "fields": (
            auto_number("name", "回款编号"),
            lookup("account_id", "客户名称", "AccountObj", required=True),
            lookup("order_id", "销售订单", "SalesOrderObj"),
            date("payment_time", "回款日期", required=True),
            money("payment_amount", "本次回款总金额"),
            select("payment_term", "回款方式", PAYMENT_TERMS),
            text("remark", "备注", kind="long_text"),
        ),
        "details": ("OrderPaymentObj",),
        "auto_prefix": "PAY",
    },
    "OrderPaymentObj": {
        "display_name": "回款明细",
        "fields": (
            auto_number("name", "编号"),
            master("payment_id", "回款", "PaymentObj"),
            lookup("order_id", "销售订单", "SalesOrderObj", required=True),
            lookup("account_id", "客户名称", "AccountObj"),
            money("payment_amount", "本次回款金额", required=True),
            text("remark", "备注", kind="long_text"),
        ),
        "auto_prefix": "PAYL",
    },
    "DeliveryNoteObj": {
        "display_name": "发货单",
        "fields": (
            auto_number("name", "发货单编号"),
            lookup("sales_order_id", "销售订单", "SalesOrderObj", required=True),
            lookup("account_id", "客户名称", "AccountObj"),
            date("delivery_date", "发货日期", required=True),
            text("express_org", "物流公司"),
            text("express_order_id", "物流单号"),
            money("total_delivery_money", "发货总金额"),
            text("delivery_warehouse_id", "发货仓库"),
            select("status", "状态", DELIVERY_STATUSES),
            text("remark", "备注", kind="long_text"),
        ),
        "details": ("DeliveryNoteProductObj",),
        "auto_prefix": "DN",
    },
    "DeliveryNoteProductObj": {
        "display_name": "发货单产品",
        "fields": (
            auto_number("name", "编号"),
            master("delivery_note_id", "发货单", "DeliveryNoteObj"),
            lookup("sales_order_id", "销售订单", "SalesOrderObj"),
            lookup("sales_order_product_id", "订单产品", "SalesOrderProductObj"),
            lookup("product_id", "产品名称", "ProductObj", required=True),
            number("delivery_num", "本次发货数", required=True),
            money("delivery_money", "发货金额"),
            text("remark", "备注", kind="long_text"),
        ),
        "auto_prefix": "DNL",
    },
    # The address book as CRM objects, mirrored from the employees and departments when a tenant
    # is seeded; they change in the address book, never through data/* writes.
    "PersonnelObj": {
        "display_name": "人员",
        "read_only": True,
        "fields": (
            text("name", "姓名", required=True),
            text("user_id", "员工ID"),
            text("phone", "手机", kind="phone_number"),
            text("email", "邮箱", kind="email"),
            text("position", "职位"),
            Field("main_department", "主属部门", "department"),
            select("status", "状态", STAFF_STATUSES),
        ),
        "duplicate_keys": ("user_id",),
    },
    "DepartmentObj": {
        "display_name": "部门",
        "read_only": True,
        "fields": (
            text("name", "部门名称", required=True),
            text("dept_id", "部门ID"),
            Field("parent_id", "上级部门", "department"),
            select("status", "状态", STAFF_STATUSES),
        ),
        "duplicate_keys": ("dept_id",),
    },
    # A tenant's custom object: customer visits. Its field names are opaque, as in a real tenant.
    "object_Ab12c__c": {
        "display_name": "客户拜访记录",
        "fields": (
            text("name", "主题", required=True),
            lookup("field_9mK2a__c", "拜访客户", "AccountObj", required=True),
            date("field_Qx7vD__c", "拜访时间", kind="date_time"),
            select("field_R4tLs__c", "拜访结果", VISIT_RESULTS),
            select("field_Tg5Hn__c", "拜访方式", VISIT_WAYS, many=True),
            money("field_Wn3Fe__c", "费用"),
            boolean("field_Zp2Lm__c", "是否成交"),
            employee("field_Cc1Jp__c", "陪同人员"),
            text("field_h8PzB__c", "拜访纪要", kind="long_text"),
        ),
    },
}
