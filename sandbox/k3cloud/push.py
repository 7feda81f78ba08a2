"""Push (下推): making the next document from audited lines of another.

SaleOrder → DeliveryNotice and DeliveryNotice → OutStock. Each source document gives one
target document holding its lines' remaining quantities (ordered minus already pushed),
each line carrying a link row back to its source line; the target is saved (A), or kept
as a draft (Z) when it cannot be saved and IsDraftWhenSaveFail is set. Saving the target
writes the pushed quantities back to the source lines.
"""

from decimal import Decimal

from sandbox.k3cloud import links, messages, saving, store, workflow
from sandbox.k3cloud.metadata import bills, get_form
from sandbox.k3cloud.protocol import as_flag, as_int, ci_get, id_list
from sandbox.k3cloud.replies import MSG_BAD_PARAMETER, MSG_NOT_FOUND, Reply, Status, entity, failure, result


def push(op, form, data):
    """DynamicFormService.Push from ``form`` by RuleId (or the default rule to TargetFormId)."""
    rule = _rule(form, data)
    if isinstance(rule, Reply):
        return rule
    entry_ids = set(id_list(ci_get(data, "EntryIds")))
    draft_on_failure = as_flag(ci_get(data, "IsDraftWhenSaveFail"), False)
    status = Status()
    for index, key, record in workflow.targets(op, form, data):
        if record is None:
            status.fail(messages.not_found(form, key), None, index, MSG_NOT_FOUND)
            continue
        made = _push_one(
            op, form, rule, store.doc_from_record(form, record), entry_ids, data, draft_on_failure
        )
        if isinstance(made, str):
            status.fail(made, None, index)
        elif made.errors:
            for field_key, text in made.errors:
                status.fail(text, field_key, index)
        else:
            status.successes.append(entity(made.doc["FID"], made.doc["FBillNo"], index))
    outcome = "ok" if status.ok else ("partial" if status.successes else "rejected")
    return Reply(result(status), outcome, len(status.successes))


def _rule(form, data):
    rule_id = str(ci_get(data, "RuleId") or "").strip()
    target = str(ci_get(data, "TargetFormId") or "").strip()
    if not rule_id and not as_flag(ci_get(data, "IsEnableDefaultRule"), False):
        return Reply(failure(messages.NO_RULE, MSG_BAD_PARAMETER), "bad_request")
    for rule in links.RULES.values():
        same_source = rule.source.lower() == form.form_id.lower()
        matches = (
            rule.rule_id.lower() == rule_id.lower() if rule_id else rule.target.lower() == target.lower()
        )
        if same_source and matches and (not target or rule.target.lower() == target.lower()):
            return rule
    text = messages.UNKNOWN_RULE.format(rule=rule_id or "默认规则", source=form.form_id, target=target or "?")
    return Reply(failure(text, MSG_BAD_PARAMETER), "bad_request")


def _push_one(op, form, rule, doc, entry_ids, data, draft_on_failure):
    """The Prepared target of one source document, or the ERP's refusal (str)."""
    if doc["FDocumentStatus"] != "C" or doc.get("FCancelStatus") == "B" or doc.get("FCloseStatus") == "B":
        return messages.push_unaudited(form, doc["FBillNo"])
    lines = [
        (row, row_left)
        for row in doc.get(rule.source_entity) or []
        if (not entry_ids or row.get("FEntryID") in entry_ids) and (row_left := _left(row, rule)) > 0
    ]
    if not lines:
        return messages.push_nothing_left(form, doc["FBillNo"])
    target_org = as_int(ci_get(data, "TargetOrgId"))
    model = BUILDERS[rule.rule_id](op, doc, target_org)
    model[rule.target_entity] = [_line(op, rule, doc, row, left) for row, left in lines]
    target = get_form(rule.target)
    made = saving.run(op, target, [model], {}, draft=False)[0]
    if made.errors and draft_on_failure:
        made = saving.run(op, target, [model], {}, draft=True)[0]
    return made


def _left(row, rule):
    return Decimal(str(row.get(rule.source_qty) or 0)) - links.pushed(row, rule)


def _ref(op, record_id):
    target = op.refs.get(record_id) if record_id else None
    return {"FNumber": target.number} if target else None


def _notice_header(op, order, target_org):
    org = _ref(op, target_org or order.get("FSaleOrgId"))
    return {
        "FSaleOrgId": org,
        "FDeliveryOrgID": org,
        "FCustomerID": _ref(op, order.get("FCustId")),
        "FReceiverID": _ref(op, order.get("FReceiveId")),
        "FSettleID": _ref(op, order.get("FSettleId")),
        "FSalesManID": _ref(op, order.get("FSalerId")),
        "FSaleDeptID": _ref(op, order.get("FSaleDeptId")),
        "SubHeadEntity": {
            "FSettleCurrID": _ref(op, order.get("FSettleCurrId")),
            "FIsIncludedTax": order.get("FIsIncludedTax", True),
        },
    }


def _outstock_header(op, notice, target_org):
    org = _ref(op, target_org or notice.get("FSaleOrgId"))
    return {
        "FSaleOrgId": org,
        "FStockOrgId": _ref(op, target_org or notice.get("FDeliveryOrgID")) or org,
        "FCustomerID": _ref(op, notice.get("FCustomerID")),
        "FReceiverID": _ref(op, notice.get("FReceiverID")),
        "FSettleID": _ref(op, notice.get("FSettleID")),
        "FSalesManID": _ref(op, notice.get("FSalesManID")),
        "FSaleDeptID": _ref(op, notice.get("FSaleDeptID")),
        "SubHeadEntity": {
            "FSettleCurrID": _ref(op, notice.get("FSettleCurrID")),
            "FIsIncludedTax": notice.get("FIsIncludedTax", True),
        },
    }


BUILDERS = {"SaleOrder-DeliveryNotice": _notice_header, "DeliveryNotice-OutStock": _outstock_header}


def _line(op, rule, source, row, qty):
    """One target line: material, prices and quantity carried over, and its link row."""
    from_order = rule.source == bills.SALE_ORDER
    material_id = row.get("FMaterialId") or row.get("FMaterialID")
    line = {
        "FMaterialID": _ref(op, material_id),
        "FUnitID": _ref(op, row.get("FUnitID")),
        rule.target_qty: str(qty),
        "FTaxPrice": row.get("FTaxPrice"),
        "FPrice": row.get("FPrice"),
        "FEntryTaxRate": row.get("FEntryTaxRate"),
        "FIsFree": row.get("FIsFree") or False,
        "FStockID": _ref(op, row.get("FStockID") or _default_stock(op, material_id)),
        "FSrcType": rule.source,
        "FSrcBillNo": source["FBillNo"],
        "FSoorDerno": source["FBillNo"] if from_order else row.get("FSoorDerno"),
        "FSOEntryId": row.get("FEntryID") if from_order else row.get("FSOEntryId"),
        f"{rule.target_entity}_Link": [_link(rule, source, row, qty)],
    }
    if rule.target == bills.OUTSTOCK:
        line["FMustQty"] = str(qty)
    else:
        line["FDeliveryDate"] = row.get("FDeliveryDate")
    return line


def _default_stock(op, material_id):
    material = op.refs.get(material_id) if material_id else None
    return material.data.get("FStockId") if material else None


def _link(rule, source, row, qty):
    prefix = f"{rule.target_entity}_Link"
    return {
        f"{prefix}_FRuleId": rule.rule_id,
        f"{prefix}_FSTableName": rule.table,
        f"{prefix}_FSBillId": source["FID"],
        f"{prefix}_FSId": row.get("FEntryID"),
        f"{prefix}_FBaseUnitQty": str(qty),
        f"{prefix}_FBaseUnitQtyOld": str(qty),
    }
