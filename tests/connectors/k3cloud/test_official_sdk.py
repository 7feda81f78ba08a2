"""Kingdee's official Python SDK (PyPI ``kingdee-cdp-webapi-sdk``), unchanged, against the sandbox.

The SDK signs every request with its X-Kd-* / X-Api-* headers (no login call), keeps the
session cookie the server hands out, and reads its settings from an ini file.
"""

import json

import pytest
from k3cloud_webapi_sdk.main import K3CloudApiSdk


@pytest.fixture
def sdk(erp, tmp_path):
    """The SDK configured from an ini file, the way its documentation shows."""
    ini = tmp_path / "conf.ini"
    ini.write_text(
        "[config]\n"
        f"X-KDApi-AcctID = {erp['acct_id']}\n"
        f"X-KDApi-UserName = {erp['username']}\n"
        f"X-KDApi-AppID = {erp['app_id']}\n"
        f"X-KDApi-AppSec = {erp['app_secret']}\n"
        f"X-KDApi-ServerUrl = {erp['server_url']}\n"
        "X-KDApi-LCID = 2052\n"
        "X-KDApi-RequestTimeout = 30\n",
        encoding="utf-8",
    )
    client = K3CloudApiSdk(erp["server_url"])
    client.Init(config_path=str(ini), config_node="config")
    return client


def status_of(reply):
    return json.loads(reply)["Result"]["ResponseStatus"]


def test_the_sdk_saves_views_and_queries_a_customer(sdk):
    saved = status_of(sdk.Save("BD_Customer", {"Model": {"FName": "官方SDK测试客户"}}))
    assert saved["IsSuccess"], saved
    number, record_id = saved["SuccessEntitys"][0]["Number"], saved["SuccessEntitys"][0]["Id"]

    viewed = json.loads(sdk.View("BD_Customer", {"Number": number}))["Result"]["Result"]
    rows = json.loads(
        sdk.ExecuteBillQuery(
            {
                "FormId": "BD_Customer",
                "FieldKeys": "FCUSTID,FNumber,FName",
                "FilterString": f"FNumber='{number}'",
            }
        )
    )

    assert viewed["Id"] == record_id
    assert rows == [[record_id, number, "官方SDK测试客户"]]


def test_the_sdk_batch_saves_with_per_row_outcomes(sdk):
    reply = sdk.BatchSave(
        "BD_Customer",
        {"Model": [{"FName": "官方SDK批量甲"}, {"FShortName": "无名称"}, {"FName": "官方SDK批量乙"}]},
    )

    status = status_of(reply)
    assert [e["DIndex"] for e in status["SuccessEntitys"]] == [0, 2]
    assert [e["DIndex"] for e in status["Errors"]] == [1]
    assert status["Errors"][0]["FieldName"] == "FName"


def test_the_sdk_bill_query_and_init_config_work_too(erp):
    sdk = K3CloudApiSdk(erp["server_url"])
    sdk.InitConfig(erp["acct_id"], erp["username"], erp["app_id"], erp["app_secret"], erp["server_url"])

    rows = json.loads(sdk.BillQuery({"FormId": "BD_Customer", "FieldKeys": "FNumber", "Limit": 2}))

    assert len(rows) == 2 and all(set(row) == {"FNumber"} for row in rows)
