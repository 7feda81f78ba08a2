"""The ERP's own messages, in its own (Chinese) words.

These are data the simulator reproduces, not text of this product, so they are not
translated. Those seen in replies of real servers are marked [seen]; the others follow the
same style and are marked [inferred] — clients must branch on MsgCode, never on text.

This is the set a Chinese session (lcid 2052, the default) reads. An English session
(lcid 1033) reads ``sandbox.k3cloud.messages_en``, through ``sandbox.k3cloud.wording``,
which falls back to the names here for any text the English set lacks.
"""

SESSION_LOST = "会话信息已丢失，请重新登录"  # [seen]
FORM_NOT_FOUND = "业务对象不存在"  # [seen]
DELETE_REFUSED = "单据状态为暂存、创建或重新审核的数据才允许删除"  # [seen]
NO_TARGETS = "请传入需要操作的数据：Ids 或 Numbers 不能同时为空"  # [inferred]
LOCK_CONFLICT = "业务对象“{caption}”的{operation}操作与其他用户的操作冲突，请稍候再使用。"  # [inferred]
CALL_LIMIT = "接口调用次数超过限制，请稍后再试"  # [inferred]
BAD_BODY = "请求参数格式不正确：{detail}"  # [inferred]
UNKNOWN_OPERATION = "操作“{operation}”不存在或不适用于业务对象“{caption}”"  # [inferred]
NO_RULE = "未启用默认转换规则时，转换规则内码（RuleId）必录"  # [inferred]
UNKNOWN_RULE = "转换规则“{rule}”不存在或不适用于“{source}”到“{target}”"  # [inferred]
ORG_NOT_FOUND = "组织内码“{org}”不存在"  # [inferred]
NOT_ALLOCATABLE = "业务对象“{caption}”不支持分配"  # [inferred]
BAD_DATE_IN_FILTER = "从字符串转换日期和/或时间时，转换失败。"  # SQL Server's own words [seen]
BAD_NUMBER_IN_FILTER = "从数据类型 varchar 转换为 numeric 时出错。"  # SQL Server's own words [seen]
LOGIN_WRONG_PASSWORD = "用户名或密码错误！"  # [seen]
LOGIN_NO_DATACENTER = "数据中心不存在或已被禁用，请检查账套ID！"  # [inferred]
LOGIN_BAD_APP = "第三方系统登录授权验证失败：应用ID或应用密钥不正确"  # [inferred]
LOGIN_BAD_SIGN = "第三方系统登录授权验证失败：签名不正确"  # [inferred]
VIEW_NOT_FOUND = "未找到对应数据"  # [inferred; suggested by the spec]


def unknown_field(key):
    return f"元数据中标识为{key}的字段不存在"  # [seen]


def required(caption):
    return f"字段“{caption}”是必填项"  # [seen]


def entry_required(entity_caption, row, caption):
    return f"单据体实体【{entity_caption}】第【{row}】行分录，【{caption}】字段必录"  # [seen]


def entry_missing(entity_caption):
    return f"单据体实体【{entity_caption}】至少需要录入一行分录"  # [inferred]


def duplicate_number(number):
    return f"违反字段唯一性要求：编码唯一。[{number}]在当前系统中已经被使用。"  # [seen]


def bad_value(caption, raw):
    return f"字段“{caption}”的值“{raw}”格式不正确"  # [inferred]


def too_long(caption, limit):
    return f"字段“{caption}”的长度不能超过{limit}个字符"  # [inferred]


def bad_reference(caption, raw):
    """IsVerifyBaseDataField rejecting a reference (the real text is unknown).

    Public client code and issue threads were searched for the real server's words
    (IsVerifyBaseDataField, 基础资料, 不存在, 在系统中不存在, 不存在或未审核, FieldName in
    Save replies) without finding a captured reply; Kingdee's documentation says only that
    the option rejects missing or forbidden references. The shape is inferred from the
    required-field refusal [seen]: one error per refused cell, ``FieldName`` the field key,
    ``DIndex`` the input row, MsgCode 11. Clients must branch on FieldName and MsgCode,
    never on this text.
    """
    return f"字段“{caption}”的值“{raw}”在系统中不存在、已禁用或未分配到当前组织"  # [inferred]


def who(form, number):
    """How the ERP names a record in operation messages."""
    if form.kind == "bill":
        return f"单据编号为“{number}”的{form.caption}"  # [seen]
    return f"编码为“{number}”的{form.caption}"  # [inferred]


def audited(form, number):
    return f"{who(form, number)}，审核成功！"  # [seen]


def already_audited(form, number):
    return f"{who(form, number)}，单据已经审核！"  # [seen]


def submit_refused(form, number):
    return f"{who(form, number)}，只有暂存、创建和重新审核的数据才允许提交！"  # [seen]


def audit_refused(form, number):
    return f"{who(form, number)}，只有审核中的数据才允许审核！"  # [inferred]


def unaudit_refused(form, number):
    return f"{who(form, number)}，只有已审核的数据才允许反审核！"  # [inferred]


def unaudit_has_targets(form, number):
    return f"{who(form, number)}，已经存在下游单据，不允许反审核！"  # [inferred]


def cancel_assign_refused(form, number):
    return f"{who(form, number)}，只有审核中的数据才允许撤销！"  # [inferred]


def save_refused(form, number):
    return f"{who(form, number)}，单据状态为审核中或已审核，不允许修改！"  # [inferred]


def not_found(form, key):
    return f"{form.caption}“{key}”不存在，可能已被删除"  # [inferred]


def cancel_refused(form, number):
    return f"{who(form, number)}，已提交或已审核的单据不允许作废！"  # [inferred]


def close_refused(form, number):
    return f"{who(form, number)}，只有已审核的单据才允许关闭或反关闭！"  # [inferred]


def allocate_unaudited(form, number):
    return f"{who(form, number)}，未审核的数据不允许分配！"  # [inferred]


def not_allocated(form, number, org):
    return f"{who(form, number)}未分配到组织“{org}”"  # [inferred]


def cancel_allocate_own_org(form, number):
    return f"{who(form, number)}，创建组织自身的数据不允许取消分配！"  # [inferred]


def task_not_found(task_id):
    return f"异步任务“{task_id}”不存在或已过期"  # [inferred]


def push_unaudited(form, number):
    return f"{who(form, number)}，单据未审核，不允许下推！"  # [inferred]


def push_nothing_left(form, number):
    return f"{who(form, number)}，没有可下推的分录（数量已全部下推）"  # [inferred]


# --- Save: keys in the wrong place, numbers out of range -------------------------------------


def misplaced_key(key, caption, entity_name):
    """A Save key the entity it was put in does not have (an entry field on the header, a typo).

    [seen] for an entry field on the header: ``ResolveFiled_InnerEx解析字段(Key:FIVSerialNo,
    name:发票序列号)时发生异常…实体不存在此属性！[EntityType：BillHead …`` (a client's field
    notes; single source), and ``…(Key:FOwnerIdHead,name:货主)时发生异常,异常信息:…`` for the
    punctuation between (wr1153612466/jayi-wms-api, src/main/java/cn/getech/wms/api/controller/KingdeeController.java). The words for a
    key no field has (no ``name:``) and for entities other than the header are [inferred].
    """
    named = f"Key:{key},name:{caption}" if caption else f"Key:{key}"
    return f"ResolveFiled_InnerEx解析字段({named})时发生异常,异常信息:实体不存在此属性！[EntityType：{entity_name}]"


def out_of_range(caption, raw):
    return f"字段“{caption}”的值“{raw}”超出允许的范围"  # [inferred]
