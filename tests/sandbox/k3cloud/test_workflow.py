"""The status machine: each transition, each refusal in the ERP's words, and the dates."""

import pytest


def status(reply):
    return reply["Result"]["ResponseStatus"]


@pytest.fixture
def order(erp):
    order_id, number = erp.saved("SAL_SaleOrder", erp.order_model())
    return order_id, number


def state(erp, order_id):
    return erp.one("SAL_SaleOrder", "FDocumentStatus", f"FID={order_id}")[0]


def test_submit_audit_unaudit_walk_a_to_b_to_c_to_d(erp, order):
    order_id, number = order
    assert state(erp, order_id) == "A"
    submitted = erp.op(
        "Submit",
        "SAL_SaleOrder",
        {
            "CreateOrgId": 0,
            "Numbers": [number],
            "Ids": "",
            "NetworkCtrl": False,
            "IgnoreInterationFlag": True,
        },
    )
    assert status(submitted)["SuccessEntitys"] == [{"Id": order_id, "Number": number, "DIndex": 0}]
    assert state(erp, order_id) == "B"
    audited = erp.op("Audit", "SAL_SaleOrder", {"Ids": str(order_id)})
    assert audited == {
        "Result": {
            "ResponseStatus": {
                "IsSuccess": True,
                "Errors": [],
                "SuccessEntitys": [{"Id": order_id, "Number": number, "DIndex": 0}],
                "SuccessMessages": [
                    {"FieldName": None, "Message": f"单据编号为“{number}”的销售订单，审核成功！", "DIndex": 0}
                ],
                "MsgCode": 0,
            }
        }
    }
    assert state(erp, order_id) == "C"
    assert status(erp.op("UnAudit", "SAL_SaleOrder", {"Ids": str(order_id)}))["IsSuccess"] is True
    assert state(erp, order_id) == "D"
    assert status(erp.op("Submit", "SAL_SaleOrder", {"Ids": str(order_id)}))["IsSuccess"] is True
    assert state(erp, order_id) == "B"


def test_audit_of_an_audited_document_is_refused(erp, order):
    order_id, number = order
    erp.op("Submit", "SAL_SaleOrder", {"Ids": str(order_id)})
    erp.op("Audit", "SAL_SaleOrder", {"Ids": str(order_id)})
    again = status(erp.op("Audit", "SAL_SaleOrder", {"Numbers": [number]}))
    assert again == {
        "ErrorCode": 500,
        "IsSuccess": False,
        "Errors": [
            {"FieldName": "", "Message": f"单据编号为“{number}”的销售订单，单据已经审核！", "DIndex": 0}
        ],
        "SuccessEntitys": [],
        "SuccessMessages": [],
        "MsgCode": 11,
    }


def test_refusals_outside_the_allowed_states(erp, order):
    order_id, number = order
    ids = {"Ids": str(order_id)}
    assert status(erp.op("Audit", "SAL_SaleOrder", ids))["Errors"][0]["Message"].endswith(
        "只有审核中的数据才允许审核！"
    )
    assert (
        "只有已审核的数据才允许反审核"
        in status(erp.op("UnAudit", "SAL_SaleOrder", ids))["Errors"][0]["Message"]
    )
    erp.op("Submit", "SAL_SaleOrder", ids)
    assert status(erp.op("Submit", "SAL_SaleOrder", ids))["Errors"][0]["Message"] == (
        f"单据编号为“{number}”的销售订单，只有暂存、创建和重新审核的数据才允许提交！"
    )
    assert (
        status(erp.op("Delete", "SAL_SaleOrder", ids))["Errors"][0]["Message"]
        == "单据状态为暂存、创建或重新审核的数据才允许删除"
    )
    saved = status(erp.save("SAL_SaleOrder", {"FID": order_id, "FNote": "改"}))
    assert saved["IsSuccess"] is False and "不允许修改" in saved["Errors"][0]["Message"]


def test_cancel_assign_takes_a_submission_back(erp, order):
    order_id, _ = order
    erp.op("Submit", "SAL_SaleOrder", {"Ids": str(order_id)})
    assert status(erp.op("CancelAssign", "SAL_SaleOrder", {"Ids": str(order_id)}))["IsSuccess"] is True
    assert state(erp, order_id) == "A"


def test_delete_removes_editable_documents(erp, order):
    order_id, number = order
    reply = status(erp.op("Delete", "SAL_SaleOrder", {"Numbers": [number]}))
    assert reply["SuccessEntitys"] == [{"Id": order_id, "Number": number, "DIndex": 0}]
    assert erp.query("SAL_SaleOrder", "FID", f"FID={order_id}") == []


def test_operations_act_on_each_record_on_its_own(erp, order):
    order_id, _ = order
    reply = status(erp.op("Submit", "SAL_SaleOrder", {"Ids": f"{order_id},987654321"}))
    assert [e["DIndex"] for e in reply["SuccessEntitys"]] == [0]
    assert reply["Errors"][0]["DIndex"] == 1 and reply["MsgCode"] == 10
    assert status(erp.op("Submit", "SAL_SaleOrder", {}))["MsgCode"] == 8


def test_audit_stamps_fapprovedate_and_leaves_fmodifydate(erp, order, sandbox):
    order_id, _ = order
    saved_at = erp.one("SAL_SaleOrder", "FModifyDate", f"FID={order_id}")[0]
    sandbox.advance_clock("k3cloud", 600)
    erp.op("Submit", "SAL_SaleOrder", {"Ids": str(order_id)})
    erp.op("Audit", "SAL_SaleOrder", {"Ids": str(order_id)})
    modified, approved = erp.one("SAL_SaleOrder", "FModifyDate,FApproveDate", f"FID={order_id}")
    assert modified == saved_at and approved > saved_at
    watermark = saved_at
    # an incremental pull on FModifyDate alone misses the audit; FApproveDate finds it
    assert erp.query("SAL_SaleOrder", "FID", f"FModifyDate > '{watermark}'") == []
    assert erp.query(
        "SAL_SaleOrder", "FID", f"FModifyDate > '{watermark}' or FApproveDate > '{watermark}'"
    ) == [[order_id]]
    erp.op("UnAudit", "SAL_SaleOrder", {"Ids": str(order_id)})
    assert erp.one("SAL_SaleOrder", "FApproveDate", f"FID={order_id}") == [None]


def test_is_auto_submit_and_audit_saves_straight_to_c(erp):
    order_id, _ = erp.saved("SAL_SaleOrder", erp.order_model(), IsAutoSubmitAndAudit=True)
    status_, approved = erp.one("SAL_SaleOrder", "FDocumentStatus,FApproveDate", f"FID={order_id}")
    assert status_ == "C" and approved is not None


def test_forbidden_base_data_counts_as_missing(erp):
    reply = erp.call(
        "DynamicFormService.ExcuteOperation",
        {"formid": "BD_Customer", "opNumber": "Forbid", "data": {"Numbers": ["CUST0001"]}},
    )
    assert status(reply)["IsSuccess"] is True
    assert erp.one("BD_Customer", "FForbidStatus", "FNumber='CUST0001'") == ["B"]
    errors = status(erp.save("SAL_SaleOrder", erp.order_model()))["Errors"]
    assert errors == [{"FieldName": "FCustId", "Message": "字段“客户”是必填项", "DIndex": 0}]
    erp.call(
        "DynamicFormService.ExcuteOperation",
        {"formid": "BD_Customer", "opNumber": "enable", "data": {"Numbers": ["CUST0001"]}},
    )
    assert status(erp.save("SAL_SaleOrder", erp.order_model()))["IsSuccess"] is True


def test_cancel_marks_documents_and_refuses_audited_ones(erp, order):
    order_id, _ = order
    body = {"formid": "SAL_SaleOrder", "opNumber": "Cancel", "data": {"Ids": str(order_id)}}
    assert status(erp.call("DynamicFormService.ExcuteOperation", body))["IsSuccess"] is True
    assert erp.one("SAL_SaleOrder", "FCancelStatus", f"FID={order_id}") == ["B"]
    audited_id, _ = erp.audited_order()
    refused = status(
        erp.call("DynamicFormService.ExcuteOperation", {**body, "data": {"Ids": str(audited_id)}})
    )
    assert "不允许作废" in refused["Errors"][0]["Message"]


def test_unknown_operations_are_refused(erp):
    reply = erp.call(
        "DynamicFormService.ExcuteOperation",
        {"formid": "SAL_SaleOrder", "opNumber": "Forbid", "data": {"Ids": "1"}},
    )
    assert status(reply)["MsgCode"] == 8


def test_base_data_follow_the_same_workflow(erp):
    customer_id, number = erp.saved("BD_Customer", {"FName": "审核客户"})
    erp.op("Submit", "BD_Customer", {"Ids": str(customer_id)})
    reply = status(erp.op("Audit", "BD_Customer", {"Ids": str(customer_id)}))
    assert reply["SuccessMessages"][0]["Message"] == f"编码为“{number}”的客户，审核成功！"
    refused = status(erp.save("BD_Customer", {"FCUSTID": customer_id, "FName": "改名"}))
    assert refused["IsSuccess"] is False


def test_operations_take_positional_parameters_too(erp):
    order_id, _ = erp.saved("SAL_SaleOrder", erp.order_model())
    submit = {"parameters": ["SAL_SaleOrder", f'{{"Ids":"{order_id}"}}']}
    assert status(erp.call("DynamicFormService.Submit", submit))["IsSuccess"] is True
    body = {"parameters": ["BD_Customer", "Forbid", '{"Numbers":["CUST0001"]}']}
    assert status(erp.call("DynamicFormService.ExcuteOperation", body))["IsSuccess"] is True
    assert erp.one("BD_Customer", "FForbidStatus", "FNumber='CUST0001'") == ["B"]


@pytest.mark.parametrize("service", ["Submit", "Audit", "UnAudit", "Delete"])
def test_an_unknown_number_among_several_is_passed_over_with_is_success_true(erp, service):
    """Spec §9 (single source, a client's code note): only the processed numbers are listed."""
    start = {"Submit": "A", "Audit": "B", "UnAudit": "C", "Delete": "A"}[service]
    order_id, number = erp.saved("SAL_SaleOrder", erp.order_model())
    if start in ("B", "C"):
        erp.op("Submit", "SAL_SaleOrder", {"Ids": str(order_id)})
    if start == "C":
        erp.op("Audit", "SAL_SaleOrder", {"Ids": str(order_id)})

    reply = status(erp.op(service, "SAL_SaleOrder", {"Numbers": ["NO-SUCH-ORDER", number]}))

    assert reply["IsSuccess"] is True and reply["Errors"] == [] and reply["MsgCode"] == 0
    assert reply["SuccessEntitys"] == [{"Id": order_id, "Number": number, "DIndex": 1}]


def test_an_unknown_id_is_still_refused_by_its_index(erp):
    order_id, number = erp.saved("SAL_SaleOrder", erp.order_model())
    reply = status(erp.op("Submit", "SAL_SaleOrder", {"Ids": f"{order_id},999999999"}))
    assert reply["IsSuccess"] is False and reply["MsgCode"] == 10
    assert [e["DIndex"] for e in reply["Errors"]] == [1]
    assert [e["Number"] for e in reply["SuccessEntitys"]] == [number]
