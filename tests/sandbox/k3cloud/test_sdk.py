"""Kingdee's official Python SDK (PyPI kingdee-cdp-webapi-sdk), unchanged, against the simulator."""

import json

import pytest
from k3cloud_webapi_sdk.main import K3CloudApiSdk


@pytest.fixture
def sdk(anonymous):
    tenant = anonymous.tenant
    client = K3CloudApiSdk(anonymous.sandbox.k3cloud_url, timeout=30)
    client.InitConfig(
        tenant["acct_id"],
        tenant["username"],
        tenant["app_id"],
        tenant["app_secret"],
        anonymous.sandbox.k3cloud_url,
    )
    return client


def test_sdk_saves_batch_saves_views_and_queries(sdk):
    saved = json.loads(sdk.Save("BD_Customer", {"Model": {"FName": "SDK测试客户", "FTEL": "021-1234567"}}))
    assert saved["Result"]["ResponseStatus"]["IsSuccess"] is True
    number = saved["Result"]["Number"]

    batch = json.loads(sdk.BatchSave("BD_Customer", {"Model": [{"FName": "批量一"}, {"FName": "批量二"}]}))
    assert [e["DIndex"] for e in batch["Result"]["ResponseStatus"]["SuccessEntitys"]] == [0, 1]

    view = json.loads(sdk.View("BD_Customer", {"Number": number}))
    assert view["Result"]["Result"]["Name"] == [{"Key": 2052, "Value": "SDK测试客户"}]

    rows = json.loads(
        sdk.ExecuteBillQuery(
            {"FormId": "BD_Customer", "FieldKeys": "FNumber,FName", "FilterString": f"FNumber = '{number}'"}
        )
    )
    assert rows == [[number, "SDK测试客户"]]
    objects = json.loads(
        sdk.BillQuery(
            {"FormId": "BD_Customer", "FieldKeys": "FNumber,FTEL", "FilterString": f"FNumber = '{number}'"}
        )
    )
    assert objects == [{"FNumber": number, "FTEL": "021-1234567"}]


def test_sdk_async_batch_save_completes_at_once(sdk):
    reply = json.loads(sdk.BatchSaveQuery("BD_Customer", {"Model": [{"FName": "异步客户"}]}))
    assert reply["Result"]["ResponseStatus"]["IsSuccess"] is True


def test_sdk_recovers_after_its_session_is_expired(sdk, sandbox):
    query = {"FormId": "BD_Currency", "FieldKeys": "FNumber", "FilterString": "FNumber='PRE001'"}
    assert json.loads(sdk.ExecuteBillQuery(query)) == [["PRE001"]]
    sandbox.expire_sessions("k3cloud")
    lost = json.loads(sdk.ExecuteBillQuery(query))
    assert lost[0][0]["Result"]["ResponseStatus"]["MsgCode"] == 1
    assert json.loads(sdk.ExecuteBillQuery(query)) == [["PRE001"]]  # it took the fresh cookie


def test_sdk_with_a_wrong_secret_gets_msgcode_1(anonymous):
    tenant = anonymous.tenant
    client = K3CloudApiSdk(anonymous.sandbox.k3cloud_url, timeout=30)
    client.InitConfig(
        tenant["acct_id"], tenant["username"], tenant["app_id"], "wrong", anonymous.sandbox.k3cloud_url
    )
    reply = json.loads(client.Save("BD_Customer", {"Model": {"FName": "x"}}))
    assert reply["Result"]["ResponseStatus"]["MsgCode"] == 1
