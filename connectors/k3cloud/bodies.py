"""Request bodies of the DynamicFormService operations, in the named form.

``{"formid": ..., "data": {...}}`` with ``data`` as an object, as Kingdee's Python SDK sends
it; query services take ``{"data": {...}}``; ExcuteOperation adds ``opNumber``.
"""

# Save / Draft / BatchSave options: keyword argument -> the ERP's key. Only options the caller
# gives are sent, so the ERP's own defaults apply otherwise.
SAVE_OPTIONS = {
    "need_update_fields": "NeedUpDateFields",
    "need_return_fields": "NeedReturnFields",
    "is_delete_entry": "IsDeleteEntry",
    "is_verify_base_data_field": "IsVerifyBaseDataField",
    "is_entry_batch_fill": "IsEntryBatchFill",
    "validate_flag": "ValidateFlag",
    "number_search": "NumberSearch",
    "is_auto_adjust_field": "IsAutoAdjustField",
    "interaction_flags": "InterationFlags",
    "ignore_interaction_flag": "IgnoreInterationFlag",
    "is_control_precision": "IsControlPrecision",
    "validate_repeat_json": "ValidateRepeatJson",
    "is_auto_submit_and_audit": "IsAutoSubmitAndAudit",
}
NUMBER_KEYS = ("FNumber", "FBillNo")


def form_body(form_id, data, op_number=None):
    body = {"formid": form_id, "data": data}
    if op_number is not None:
        body["opNumber"] = op_number
    return body


def save_data(model, options):
    """``data`` of Save / Draft (``model`` a dict) or BatchSave (``model`` a list)."""
    unknown = set(options) - set(SAVE_OPTIONS)
    if unknown:
        raise TypeError(f"unknown save options: {', '.join(sorted(unknown))}")
    data = {SAVE_OPTIONS[name]: value for name, value in options.items() if value is not None}
    data["Model"] = model
    return data


def id_list(ids):
    """Ids as the ERP wants them: ``"1,2,3"``."""
    if ids is None:
        return ""
    if isinstance(ids, str | int):
        return str(ids)
    return ",".join(str(i) for i in ids)


def documents_data(numbers=None, ids=None, create_org_id=0, **extra):
    """``data`` naming documents by Numbers or Ids (Submit, Audit, UnAudit, Delete, operations)."""
    if not numbers and not ids:
        raise ValueError("name the documents by numbers or ids")
    data = {"CreateOrgId": create_org_id, "Numbers": list(numbers or []), "Ids": id_list(ids)}
    data.update(extra)
    return data


def documents_named(numbers=None, ids=None):
    """``[("Number", n) | ("Id", i)]``: how to read each named document back with View."""
    if numbers:
        return [("Number", n) for n in numbers]
    return [("Id", int(i) if str(i).isdigit() else i) for i in id_list(ids).split(",") if i]


def view_data(number=None, id=None, create_org_id=0):
    if (number is None) == (id is None):
        raise ValueError("view needs exactly one of number or id")
    key, value = ("Number", number) if number is not None else ("Id", id)
    return {"CreateOrgId": create_org_id, key: value, "IsSortBySeq": False}


def allocate_data(pk_ids, org_ids, auto_submit_and_audit=False):
    return {
        "PkIds": id_list(pk_ids),
        "TOrgIds": id_list(org_ids),
        "IsAutoSubmitAndAudit": auto_submit_and_audit,
    }


def push_data(
    numbers=None,
    ids=None,
    *,
    entry_ids=None,
    rule_id="",
    target_form_id="",
    target_org_id=0,
    enable_default_rule=False,
    draft_when_save_fail=False,
    custom_params=None,
):
    if not numbers and not ids and not entry_ids:
        raise ValueError("name the source documents by numbers, ids or entry ids")
    return {
        "Numbers": list(numbers or []),
        "Ids": id_list(ids),
        "EntryIds": id_list(entry_ids),
        "RuleId": rule_id,
        "TargetFormId": target_form_id,
        "TargetOrgId": target_org_id,
        "IsEnableDefaultRule": enable_default_rule,
        "IsDraftWhenSaveFail": draft_when_save_fail,
        "CustomParams": custom_params or {},
    }


def record_numbers(model):
    """The numbers a Save/BatchSave model names (to say which records a lost write concerns)."""
    models = model if isinstance(model, list) else [model]
    numbers = []
    for item in models:
        number = next((item.get(k) for k in NUMBER_KEYS if isinstance(item, dict) and item.get(k)), None)
        if number:
            numbers.append(number)
    return numbers
