"""CancelAllocate, SwitchOrg, QueryBusinessInfo and the asynchronous mode with QueryAsyncResult.

Sources are in the sandbox modules' docstrings (allocate, orgs, business_info, async_results):
the service paths and argument forms come from the official SDK; SwitchOrg's reply and
CancelAllocate's data each have one public source; QueryBusinessInfo's reply shape is the
simulator's own guess.
"""

import json

import pytest


def status(reply):
    return reply["Result"]["ResponseStatus"]


def customer_id(erp, number="CUST0001"):
    return erp.one("BD_Customer", "FCUSTID", f"FNumber='{number}'")[0]


# --- CancelAllocate ---------------------------------------------------------------------------


def test_cancel_allocate_removes_the_copy_in_each_target_organisation(erp):
    master = customer_id(erp)
    org = erp.tenant["sales_orgs"][0]["id"]
    allocated = status(erp.op("Allocate", "BD_Customer", {"PkIds": str(master), "TOrgIds": str(org)}))
    copy_id = allocated["SuccessEntitys"][0]["Id"]

    cancelled = status(erp.op("CancelAllocate", "BD_Customer", {"PkIds": str(master), "TOrgIds": str(org)}))

    assert cancelled["IsSuccess"] is True
    assert cancelled["SuccessEntitys"] == [{"Id": copy_id, "Number": "CUST0001", "DIndex": 0}]
    assert erp.query("BD_Customer", "FCUSTID", f"FNumber='CUST0001' and FUseOrgId={org}") == []
    again = status(erp.op("CancelAllocate", "BD_Customer", {"PkIds": str(master), "TOrgIds": str(org)}))
    assert (again["IsSuccess"], again["MsgCode"], again["Errors"][0]["DIndex"]) == (False, 10, 0)


def test_cancel_allocate_refuses_the_creating_organisation_and_unallocatable_forms(erp):
    master = customer_id(erp)
    own = status(
        erp.op("CancelAllocate", "BD_Customer", {"PkIds": str(master), "TOrgIds": str(erp.tenant["org_id"])})
    )
    assert (own["IsSuccess"], own["MsgCode"]) == (False, 12)
    assert erp.query("BD_Customer", "FCUSTID", f"FCUSTID={master}") == [[master]]
    orders = status(erp.op("CancelAllocate", "SAL_SaleOrder", {"PkIds": "1", "TOrgIds": "1"}))
    assert orders["IsSuccess"] is False


# --- SwitchOrg --------------------------------------------------------------------------------


def test_switch_org_moves_the_session_to_the_organisation_named(erp):
    target = erp.tenant["sales_orgs"][0]
    reply = erp.call("DynamicFormService.SwitchOrg", {"data": {"OrgNumber": target["number"]}})
    assert status(reply)["IsSuccess"] is True
    assert status(reply)["SuccessEntitys"] == [{"Id": target["id"], "Number": target["number"], "DIndex": 0}]

    saved_id, _ = erp.saved("BD_Customer", {"FName": "切换组织后新建"})
    assert erp.one("BD_Customer", "FCreateOrgId", f"FCUSTID={saved_id}") == [target["id"]]


def test_switch_org_reads_the_sdk_sample_model_form_and_refuses_unknown_numbers(erp):
    target = erp.tenant["sales_orgs"][1]
    sample = {"data": json.dumps({"Model": {"FSALEORGID": {"FNumber": target["number"]}}})}
    assert status(erp.call("DynamicFormService.SwitchOrg", sample))["SuccessEntitys"][0]["Id"] == target["id"]
    unknown = status(erp.call("DynamicFormService.SwitchOrg", {"data": {"OrgNumber": "NOPE"}}))
    assert (unknown["IsSuccess"], unknown["MsgCode"]) == (False, 10)


def test_switch_org_without_a_session_is_session_lost(anonymous):
    reply = anonymous.call("DynamicFormService.SwitchOrg", {"data": {"OrgNumber": "101"}})
    assert status(reply)["MsgCode"] == 1


# --- QueryBusinessInfo ------------------------------------------------------------------------


def fields_of(reply):
    info = reply["Result"]["NeedReturnData"]
    return {f["Key"]: f for entity in info["Entrys"] for f in entity["Fields"]}


def test_query_business_info_describes_every_field_of_the_form(erp):
    reply = erp.call("DynamicFormService.QueryBusinessInfo", {"data": {"FormId": "SAL_SaleOrder"}})
    assert status(reply)["IsSuccess"] is True
    info = reply["Result"]["NeedReturnData"]
    assert info["Id"] == "SAL_SaleOrder" and info["Name"] == [{"Key": 2052, "Value": "销售订单"}]
    fields = fields_of(reply)
    customer = fields["FCustId"]
    assert (customer["EntityKey"], customer["MustInput"], customer["ElementType"]) == (
        "FBillHead",
        1,
        "BaseDataField",
    )
    assert customer["LookUpObjectFormId"] == "BD_Customer"
    assert fields["FDocumentStatus"]["IsLocked"] is True
    assert (
        fields["FQty"]["EntityKey"] == "FSaleOrderEntry" and fields["FQty"]["ElementType"] == "DecimalField"
    )


def test_query_business_info_lists_custom_fields_and_refuses_unknown_forms(erp):
    material = fields_of(
        erp.call("DynamicFormService.QueryBusinessInfo", {"data": {"FormId": "bd_material"}})
    )
    assert material["F_PAEZ_SalePrice"]["Name"] == [{"Key": 2052, "Value": "参考售价"}]
    unknown = erp.call("DynamicFormService.QueryBusinessInfo", {"data": {"FormId": "NO_SUCH_FORM"}})
    assert (status(unknown)["IsSuccess"], status(unknown)["MsgCode"]) == (False, 4)


# --- the asynchronous mode and QueryAsyncResult -------------------------------------------------

ASYNC = {"beginmethod": "BeginQueryImpl", "querymethod": "QueryAsyncResult"}


def begin_batch_save(erp, names):
    body = {"formid": "BD_Customer", "data": {"Model": [{"FName": n} for n in names]}, **ASYNC}
    return erp.call("DynamicFormService.BatchSave", body)


def poll(erp, task_id):
    query_info = json.dumps({"TaskId": task_id, "Cancelled": False})
    return erp.call("DynamicFormService.QueryAsyncResult", {"queryInfo": query_info})


@pytest.fixture
def running(sandbox):
    sandbox.set_faults("k3cloud", async_running_rate=1.0)
    yield
    sandbox.clear_faults("k3cloud")


def test_an_async_batch_save_answers_pending_then_running_then_its_result(erp, sandbox, running):
    begun = begin_batch_save(erp, ["异步一", "异步二"])
    assert (begun["Status"], begun["Result"]) == (0, None) and begun["TaskId"]
    assert len(erp.query("BD_Customer", "FNumber", "FName in ('异步一','异步二')")) == 2  # already done

    still = poll(erp, begun["TaskId"])
    assert (still["Status"], still["TaskId"], still["Result"]) == (1, begun["TaskId"], None)

    sandbox.set_faults("k3cloud", async_running_rate=0.0)
    done = poll(erp, begun["TaskId"])
    assert done["Status"] == 2
    saved = status(done["Result"])
    assert saved["IsSuccess"] is True and [e["DIndex"] for e in saved["SuccessEntitys"]] == [0, 1]
    assert poll(erp, begun["TaskId"]) == done  # a finished task can be asked again


def test_async_mode_without_the_switch_finishes_at_once(erp):
    begun = begin_batch_save(erp, ["立即完成"])
    assert begun["Status"] == 2 and status(begun["Result"])["IsSuccess"] is True


def test_some_polls_are_still_running_drawn_by_seed(erp, sandbox):
    sandbox.set_faults("k3cloud", async_running_rate=0.5, seed=7)
    try:
        first = [begin_batch_save(erp, [f"抽样{i}"])["Status"] for i in range(12)]
    finally:
        sandbox.clear_faults("k3cloud")
    assert set(first) == {0, 2}


def test_an_unknown_task_is_refused(erp):
    assert status(poll(erp, "0" * 32))["MsgCode"] == 8
