"""The request bodies the client sends, compared with the spec's literal bodies, and the
reply shapes it accepts (payload at the top level or under ``data``)."""

import pytest

from connectors.errors import OutcomeUnknownError
from connectors.fxiaoke import FxiaokeClient, FxiaokeConfig
from connectors.retrying import RetryPolicy
from connectors.state import DatabaseState
from tests.connectors.fxiaoke.recorder import OK

USER = "FSUID_" + "A" * 32
AUTH = {"corpAccessToken": "CORP-TOKEN-1", "corpId": "FSCID_CONTRACT", "currentOpenUserId": USER}


@pytest.fixture
def client(crm, db):
    config = FxiaokeConfig(
        base_url=crm.url,
        app_id="FSAID_1317cf4",
        app_secret="contract-secret",
        permanent_code="CONTRACT-CODE",
        open_user_id=USER,
        connector_key=f"fxiaoke:contract:{crm.url}",
    )
    client = FxiaokeClient(config, state=DatabaseState(), retry_policy=RetryPolicy(max_attempts=1))
    yield client
    client.close()


def test_the_token_request(client, crm):
    client.list_objects()
    assert crm.bodies("/cgi/corpAccessToken/get/V2") == [
        {"appId": "FSAID_1317cf4", "appSecret": "contract-secret", "permanentCode": "CONTRACT-CODE"}
    ]


def test_query_pages_by_id_cursor(client, crm):
    crm.replies["/cgi/crm/v2/data/query"] = [
        {**OK, "data": {"dataList": [{"_id": "a1"}, {"_id": "b2"}], "total": 0, "offset": 0, "limit": 2}},
        {**OK, "data": {"dataList": [{"_id": "c3"}], "total": 0, "offset": 0, "limit": 2}},
    ]
    rows = client.query(
        "AccountObj",
        filters=[{"field_name": "last_modified_time", "field_values": ["1656213600000"], "operator": "GT"}],
        field_projection=["_id", "name"],
        page_size=2,
    )
    assert [r["_id"] for r in rows] == ["a1", "b2", "c3"]

    first, second = crm.bodies("/cgi/crm/v2/data/query")
    watermark = {"field_name": "last_modified_time", "field_values": ["1656213600000"], "operator": "GT"}
    assert first == {
        **AUTH,
        "data": {
            "dataObjectApiName": "AccountObj",
            "search_query_info": {
                "limit": 2,
                "offset": 0,
                "filters": [watermark],
                "orders": [{"fieldName": "_id", "isAsc": True}],
                "fieldProjection": ["_id", "name"],
            },
            "find_explicit_total_num": False,
        },
    }
    cursor = {"field_name": "_id", "field_values": ["b2"], "operator": "GT"}
    assert second["data"]["search_query_info"]["filters"] == [watermark, cursor]


def test_query_reads_a_top_level_data_list(client, crm):
    crm.replies["/cgi/crm/v2/data/query"] = {**OK, "dataList": [{"_id": "only"}]}
    assert list(client.query("AccountObj")) == [{"_id": "only"}]


def test_get(client, crm):
    crm.replies["/cgi/crm/v2/data/get"] = {**OK, "data": {"_id": "a1", "name": "客户"}}
    assert client.get("AccountObj", "a1") == {"_id": "a1", "name": "客户"}
    assert crm.bodies("/cgi/crm/v2/data/get") == [
        {**AUTH, "data": {"dataObjectApiName": "AccountObj", "objectDataId": "a1"}}
    ]


def test_create_with_details_and_a_top_level_data_id(client, crm):
    crm.replies["/cgi/crm/v2/data/create"] = {**OK, "dataId": "order-1"}
    line = {"product_id": "p1", "quantity": "2", "sales_price": "10.00"}
    data_id = client.create("SalesOrderObj", {"account_id": "a1"}, details={"SalesOrderProductObj": [line]})
    assert data_id == "order-1"
    assert crm.bodies("/cgi/crm/v2/data/create") == [
        {
            **AUTH,
            "data": {
                "object_data": {"dataObjectApiName": "SalesOrderObj", "account_id": "a1"},
                "details": {"SalesOrderProductObj": [line]},
            },
        }
    ]


def test_create_reads_a_data_id_under_data(client, crm):
    crm.replies["/cgi/crm/custom/v2/data/create"] = {**OK, "data": {"dataId": "visit-1"}}
    assert client.create("object_Ab12c__c", {"name": "回访"}) == "visit-1"


def test_a_create_answered_without_an_id_is_outcome_unknown(client, crm):
    # The custom-object example in the docs shows no dataId: the record exists, its id is unknown.
    with pytest.raises(OutcomeUnknownError) as raised:
        client.create("object_Ab12c__c", {"name": "回访"})
    assert raised.value.trace_id == "E-O.contract"


def test_update_with_and_without_a_data_id_in_the_answer(client, crm):
    assert client.update("AccountObj", "a1", {"remark": "x"}) == "a1"
    crm.replies["/cgi/crm/v2/data/update"] = {**OK, "dataId": "a1"}
    assert client.update("AccountObj", "a1", {"remark": "y"}) == "a1"
    assert crm.bodies("/cgi/crm/v2/data/update")[0] == {
        **AUTH,
        "data": {"object_data": {"_id": "a1", "dataObjectApiName": "AccountObj", "remark": "x"}},
    }


def test_void_delete_recover_and_change_owner(client, crm):
    client.invalid("AccountObj", "a1")
    client.delete("AccountObj", "a1")
    client.recover("AccountObj", ["a1", "a2"])
    client.change_owner("AccountObj", "a1", "1000")
    assert [body["data"] for _path, body in crm.requests[1:]] == [
        {"dataObjectApiName": "AccountObj", "object_data_id": "a1"},
        {"dataObjectApiName": "AccountObj", "idList": ["a1"]},
        {"dataObjectApiName": "AccountObj", "idList": ["a1", "a2"]},
        {"dataObjectApiName": "AccountObj", "Data": [{"objectDataId": "a1", "ownerId": ["1000"]}]},
    ]
    assert [path for path, _body in crm.requests[1:]] == [
        "/cgi/crm/v2/data/invalid",
        "/cgi/crm/v2/data/delete",
        "/cgi/crm/v2/data/recover",
        "/cgi/crm/v2/data/changeOwner",
    ]


def test_describe_and_the_object_list(client, crm):
    crm.replies["/cgi/crm/v2/object/describe"] = {
        **OK,
        "data": {
            "apiName": "AccountObj",
            "fields": [{"api_name": "name", "label": "客户名称", "type": "text"}],
        },
    }
    crm.replies["/cgi/crm/v2/object/list"] = {**OK, "objects": [{"describeApiName": "AccountObj"}]}
    assert [f["api_name"] for f in client.describe("AccountObj")["fields"]] == ["name"]
    assert [o["api_name"] for o in client.list_objects()] == ["AccountObj"]
    assert crm.bodies("/cgi/crm/v2/object/describe") == [
        {**AUTH, "includeDetail": True, "data": {"apiName": "AccountObj"}}
    ]
    assert crm.bodies("/cgi/crm/v2/object/list") == [AUTH]


def test_a_text_message_to_500_employees_at_a_time(client, crm):
    recipients = [f"FSUID_{n:032X}" for n in range(501)]
    client.send_text(recipients, "订单已发货")
    first, second = crm.bodies("/cgi/message/send")
    assert first == {
        "corpAccessToken": "CORP-TOKEN-1",
        "corpId": "FSCID_CONTRACT",
        "toUser": recipients[:500],
        "msgType": "text",
        "text": {"content": "订单已发货"},
    }
    assert second["toUser"] == recipients[500:]


def test_the_user_lookup_by_mobile_skips_stopped_employees(crm, db):
    crm.replies["/cgi/user/getByMobile"] = {
        **OK,
        "data": {"empList": [{"openUserId": "FSUID_OLD", "isStop": True}, {"openUserId": "FSUID_NEW"}]},
    }
    config = FxiaokeConfig(
        base_url=crm.url,
        app_id="FSAID_1",
        app_secret="s",
        permanent_code="p",
        mobile="13800000001",
        connector_key=f"fxiaoke:contract-mobile:{crm.url}",
    )
    client = FxiaokeClient(config, state=DatabaseState(), retry_policy=RetryPolicy(max_attempts=1))
    assert client.resolve_open_user_id() == "FSUID_NEW"
    assert crm.bodies("/cgi/user/getByMobile") == [
        {"corpAccessToken": "CORP-TOKEN-1", "corpId": "FSCID_CONTRACT", "mobile": "13800000001"}
    ]
    client.close()
