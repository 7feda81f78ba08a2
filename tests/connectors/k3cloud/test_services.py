"""QueryBusinessInfo, SwitchOrg, CancelAllocate and BatchSave's asynchronous mode, through the client."""

import pytest

from connectors.errors import OutcomeUnknownError
from connectors.k3cloud.business_info import BusinessField, parse_business_info
from connectors.k3cloud.errors import DocumentNotFoundError, UnknownFormError


@pytest.fixture
def client(make_client):
    return make_client("password", timeout=5.0)


# --- QueryBusinessInfo ------------------------------------------------------------------------


def test_business_info_lists_the_fields_of_a_form(client):
    fields = {f.key: f for f in client.business_info("SAL_SaleOrder")}
    assert fields["FCustId"] == BusinessField(
        "FCustId", "客户", "BaseDataField", "FBillHead", required=True, readonly=False, ref_form="BD_Customer"
    )
    assert fields["FQty"].entity == "FSaleOrderEntry" and fields["FQty"].type == "DecimalField"
    assert fields["FDocumentStatus"].readonly is True


def test_business_info_offers_custom_fields_and_refuses_unknown_forms(client):
    assert "F_PAEZ_SalePrice" in {f.key for f in client.business_info("BD_MATERIAL")}
    with pytest.raises(UnknownFormError):
        client.business_info("NO_SUCH_FORM")


def test_business_info_reads_other_plausible_shapes():
    """No real reply is known (the sandbox's shape is a guess): other key names are read too."""
    flat = {
        "Result": {
            "ResponseStatus": {"IsSuccess": True},
            "Result": [
                {
                    "Entities": [
                        {
                            "Id": "FEntity",
                            "Fields": [
                                {
                                    "FieldName": "F_ABC_Note",
                                    "Name": "备注",
                                    "FieldType": "Text",
                                    "IsMustInput": True,
                                },
                                {"Key": "FAmount", "Name": {"Key": 1033, "Value": "Amount"}, "Lock": 1},
                            ],
                        }
                    ]
                }
            ],
        }
    }
    assert parse_business_info(flat, lcid=1033) == [
        BusinessField("F_ABC_Note", "备注", "Text", "FEntity", required=True, readonly=False),
        BusinessField("FAmount", "Amount", "", "FEntity", required=False, readonly=True),
    ]
    assert parse_business_info({"Result": {"NeedReturnData": None}}) == []


# --- SwitchOrg --------------------------------------------------------------------------------


def test_switch_org_moves_the_connectors_session(client, erp):
    target = erp["sales_orgs"][0]
    switched = client.switch_org(target["number"])
    assert (switched.entities[0].id, switched.entities[0].number) == (target["id"], target["number"])

    saved = client.save("BD_Customer", {"FName": "切换组织的客户"})
    row = next(iter(client.query("BD_Customer", "FCreateOrgId", f"FCUSTID={saved.id}")))
    assert row["FCreateOrgId"] == target["id"]
    with pytest.raises(DocumentNotFoundError):
        client.switch_org("NO-SUCH-ORG")


# --- CancelAllocate ---------------------------------------------------------------------------


def test_cancel_allocate_takes_back_the_copies(client, erp):
    customer = client.save("BD_Customer", {"FName": "取消分配的客户"}, is_auto_submit_and_audit=True)
    org = erp["sales_orgs"][1]["id"]
    copy_id = client.allocate("BD_Customer", [customer.id], [org]).entities[0].id

    cancelled = client.cancel_allocate("BD_Customer", [customer.id], [org])

    assert cancelled.ids == [copy_id]
    assert list(client.query("BD_Customer", "FCUSTID", f"FCUSTID={copy_id}")) == []
    with pytest.raises(DocumentNotFoundError):
        client.cancel_allocate("BD_Customer", [customer.id], [org])


# --- BatchSave, asynchronous mode ---------------------------------------------------------------


def test_batch_save_async_polls_until_the_task_is_done(client, sandbox, sleeps, call_log):
    sandbox.set_faults("k3cloud", async_running_rate=1.0)
    sleeps.then = lambda: sandbox.clear_faults("k3cloud")  # still running until the first wait

    result = client.batch_save_async("BD_Customer", [{"FName": "异步甲"}, {"FName": "异步乙"}])

    assert [row.index for row in result.saved] == [0, 1]
    assert len(sleeps) == 1 and len(call_log("QueryAsyncResult")) == 1


def test_batch_save_async_gives_up_after_max_polls_with_the_task_id(client, sandbox, sleeps):
    sandbox.set_faults("k3cloud", async_running_rate=1.0)
    try:
        with pytest.raises(OutcomeUnknownError) as running:
            client.batch_save_async("BD_Customer", [{"FName": "慢任务"}], max_polls=3)
    finally:
        sandbox.clear_faults("k3cloud")
    assert len(sleeps) == 3
    task_id = running.value.details[0]["task_id"]

    later = client.async_result(task_id)
    assert later.done and later.result["Result"]["ResponseStatus"]["IsSuccess"] is True


def test_batch_save_async_without_the_switch_needs_no_poll(client, sleeps, call_log):
    result = client.batch_save_async("BD_Customer", [{"FName": "立即"}])
    assert len(result.saved) == 1 and sleeps == [] and call_log("QueryAsyncResult") == []
