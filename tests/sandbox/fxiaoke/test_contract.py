"""Contract tests: the spec's literal request bodies, and the literal shapes of the answers."""

import requests

ENVELOPE = {"errorCode", "errorMessage", "errorDescription", "traceId"}


def test_a_query_with_the_documented_body_answers_the_documented_shape(fx):
    body = {
        **fx.auth(),
        "data": {
            "dataObjectApiName": "AccountObj",
            "search_query_info": {
                "limit": 100,
                "offset": 0,
                "filters": [
                    {"field_name": "last_modified_time", "field_values": ["1656213600000"], "operator": "GT"}
                ],
                "orders": [{"fieldName": "_id", "isAsc": True}],
                "fieldProjection": ["_id", "name"],
            },
        },
    }

    answer = fx.post("/cgi/crm/v2/data/query", body)

    assert set(answer) == ENVELOPE | {"data"}
    assert (answer["errorCode"], answer["errorMessage"], answer["errorDescription"]) == (0, "OK", "success")
    assert set(answer["data"]) == {"dataList", "total", "offset", "limit"}
    assert (answer["data"]["total"], answer["data"]["offset"], answer["data"]["limit"]) == (10, 0, 100)
    rows = answer["data"]["dataList"]
    assert all(set(row) == {"_id", "name"} for row in rows)
    assert [row["_id"] for row in rows] == sorted(row["_id"] for row in rows)


def test_describe_takes_api_name_under_data_and_at_the_top_level_as_older_clients_send_it(fx):
    under_data = fx.post(
        "/cgi/crm/v2/object/describe", {**fx.auth(), "includeDetail": True, "data": {"apiName": "AccountObj"}}
    )
    top_level = fx.post(
        "/cgi/crm/v2/object/describe", {**fx.auth(), "includeDetail": True, "apiName": "AccountObj"}
    )

    assert under_data["errorCode"] == top_level["errorCode"] == 0
    assert under_data["data"]["describe"] == top_level["data"]["describe"]
    describe = top_level["data"]["describe"]
    assert describe["api_name"] == "AccountObj"
    level = describe["fields"]["account_level"]
    assert level["type"] == "select_one"
    assert {"label": "重要客户", "value": "4jVu1rm3X", "not_usable": False} in level["options"]
    assert describe["fields"]["owner"]["type"] == "employee"
    assert describe["fields"]["last_modified_time"]["time_zone"] == "GMT+8"


def test_describe_with_include_detail_lists_the_detail_objects(fx):
    answer = fx.post(
        "/cgi/crm/v2/object/describe", {**fx.auth(), "includeDetail": True, "apiName": "SalesOrderObj"}
    )

    details = answer["data"]["details"]
    assert [d["api_name"] for d in details] == ["SalesOrderProductObj"]
    assert details[0]["fields"]["order_id"] == {
        "api_name": "order_id",
        "label": "销售订单",
        "type": "master_detail",
        "define_type": "package",
        "is_required": False,
        "is_readonly": True,
        "is_active": True,
        "target_api_name": "SalesOrderObj",
    }


def test_object_list_names_preset_detail_and_custom_objects(fx):
    answer = fx.post("/cgi/crm/v2/object/list", fx.auth())

    objects = {o["describeApiName"]: o for o in answer["data"]["objects"]}
    assert set(objects) >= {
        "AccountObj", "ContactObj", "LeadsObj", "ProductObj", "SalesOrderObj", "SalesOrderProductObj",
        "PaymentObj", "OrderPaymentObj", "DeliveryNoteObj", "DeliveryNoteProductObj", "object_Ab12c__c",
        "PersonnelObj", "DepartmentObj",
    }  # fmt: skip
    assert objects["object_Ab12c__c"] == {
        "describeApiName": "object_Ab12c__c",
        "describeDisplayName": "客户拜访记录",
        "defineType": "custom",
        "isActive": True,
    }
    assert objects["AccountObj"]["defineType"] == "package"


def test_create_answers_a_top_level_data_id_on_both_path_families(fx):
    account = fx.post(
        "/cgi/crm/v2/data/create",
        {
            **fx.auth(),
            "data": {"object_data": {"dataObjectApiName": "AccountObj", "name": "契约测试有限公司"}},
        },
    )
    visit = fx.post(
        "/cgi/crm/custom/v2/data/create",
        {
            **fx.auth(),
            "data": {
                "object_data": {
                    "dataObjectApiName": "object_Ab12c__c",
                    "name": "首次拜访",
                    "field_9mK2a__c": account["dataId"],
                }
            },
        },
    )

    for answer in (account, visit):
        assert set(answer) == ENVELOPE | {"dataId"}
        assert len(answer["dataId"]) == 24 and answer["dataId"] == answer["dataId"].lower()
        int(answer["dataId"], 16)


def test_get_answers_the_record_under_data_with_companions_and_no_empty_fields(fx):
    account_id = fx.create("AccountObj", {"name": "伴随字段有限公司", "remark": ""})

    answer = fx.post(
        "/cgi/crm/v2/data/get",
        {**fx.auth(), "data": {"dataObjectApiName": "AccountObj", "objectDataId": account_id}},
    )

    record = answer["data"]
    assert record["_id"] == account_id
    assert "remark" not in record and "tel" not in record
    assert record["owner"] == [fx.tenant["open_user_id"]]
    assert record["owner__r"]["openUserId"] == fx.tenant["open_user_id"]
    assert record["life_status"] == "normal" and record["lock_status"] == "0"
    assert record["object_describe_api_name"] == "AccountObj"
    assert isinstance(record["create_time"], int) and record["create_time"] == record["last_modified_time"]
    assert int(record["_id"][:8], 16) == record["create_time"] // 1000


def test_update_answers_the_envelope_and_the_data_id(fx):
    account_id = fx.create("AccountObj", {"name": "更新契约有限公司"})

    answer = fx.post(
        "/cgi/crm/v2/data/update",
        {
            **fx.auth(),
            "data": {
                "object_data": {"_id": account_id, "dataObjectApiName": "AccountObj", "tel": "021-5555"}
            },
        },
    )

    assert answer["errorCode"] == 0 and answer["dataId"] == account_id


def test_errors_come_back_as_http_200_with_the_envelope(fx):
    response = requests.post(
        fx.base + "/cgi/crm/v2/data/query",
        json={**fx.auth(), "data": {"dataObjectApiName": "NoSuchObj", "search_query_info": {"limit": 10}}},
        timeout=30,
    )

    assert response.status_code == 200
    assert set(response.json()) == ENVELOPE
    assert response.json()["errorCode"] == 32107  # [invented] unknown object


def test_an_empty_post_is_12004(fx):
    response = requests.post(fx.base + "/cgi/crm/v2/data/query", data=b"", timeout=30)

    assert response.status_code == 200 and response.json()["errorCode"] == 12004


def test_an_unknown_current_open_user_id_is_20012(fx):
    answer = fx.post("/cgi/crm/v2/object/list", {**fx.auth(), "currentOpenUserId": "FSUID_" + "0" * 32})

    assert answer["errorCode"] == 20012


def test_the_wrong_path_family_for_an_object_is_refused(fx):
    custom_on_preset = fx.call(
        "/cgi/crm/v2/data/query", {"dataObjectApiName": "object_Ab12c__c", "search_query_info": {"limit": 10}}
    )
    preset_on_custom = fx.call(
        "/cgi/crm/custom/v2/data/query",
        {"dataObjectApiName": "AccountObj", "search_query_info": {"limit": 10}},
    )

    assert custom_on_preset["errorCode"] == preset_on_custom["errorCode"] == 32108  # [invented] code
    assert "/cgi/crm/custom/v2/" in custom_on_preset["errorMessage"]


def test_get_by_mobile_returns_the_admin_in_emp_list(fx):
    answer = fx.post(
        "/cgi/user/getByMobile",
        {
            "corpAccessToken": fx.auth()["corpAccessToken"],
            "corpId": fx.tenant["corp_id"],
            "mobile": fx.tenant["mobile"],
        },
    )

    assert answer["errorCode"] == 0
    [person] = answer["empList"]
    assert person["openUserId"] == fx.tenant["open_user_id"]
    assert person["mobile"] == fx.tenant["mobile"] and person["isActive"] is True
    assert person["openUserId"].startswith("FSUID_") and len(person["openUserId"]) == 38
    assert person["openUserId"][6:] == person["openUserId"][6:].upper()


def test_user_get_simple_list_and_department_list(fx):
    corp = {"corpAccessToken": fx.auth()["corpAccessToken"], "corpId": fx.tenant["corp_id"]}

    user = fx.post("/cgi/user/get", {**corp, "openUserId": fx.tenant["open_user_id"]})
    everyone = fx.post("/cgi/user/simpleList", {**corp, "departmentId": 999999})
    sales = fx.post("/cgi/user/simpleList", {**corp, "departmentId": 1001, "fetchChild": False})
    departments = fx.post("/cgi/department/list", corp)
    unknown_user = fx.post("/cgi/user/get", {**corp, "openUserId": "FSUID_" + "1" * 32})
    unknown_department = fx.post("/cgi/user/simpleList", {**corp, "departmentId": 4242})

    assert user["openUserId"] == fx.tenant["open_user_id"] and user["name"] == "张伟"
    assert len(everyone["userList"]) == 6 and set(everyone["userList"][0]) == {"openUserId", "name"}
    assert len(sales["userList"]) == 5
    assert {d["id"] for d in departments["departments"]} == {999999, 1000, 1001}
    assert unknown_user["errorCode"] == 20012
    assert unknown_department["errorCode"] == 30007


def test_employees_and_departments_are_queryable_objects_but_not_writable(fx):
    people = fx.rows("PersonnelObj", orders=[{"fieldName": "user_id", "isAsc": True}])
    departments = fx.rows(
        "DepartmentObj", [{"field_name": "dept_id", "operator": "EQ", "field_values": ["1001"]}]
    )
    create = fx.call(
        "/cgi/crm/v2/data/create", {"object_data": {"dataObjectApiName": "PersonnelObj", "name": "新人"}}
    )

    assert [p["user_id"] for p in people] == ["1000", "1001", "1002", "1003", "1004", "1005"]
    assert people[0]["main_department__r"]["deptName"] == "总经办"
    assert departments[0]["name"] == "销售部" and departments[0]["parent_id"] == ["999999"]
    assert create["errorCode"] == 32111  # [invented] the address book is not written through data/*


def test_values_of_the_wrong_json_type_get_error_answers_not_server_errors(fx):
    auth = fx.auth()
    query = {"dataObjectApiName": "AccountObj", "search_query_info": {"limit": 10}}

    answers = [
        fx.post("/cgi/message/send", {**auth, "toUser": [{"id": 1}], "msgType": "text", "text": {"content": "x"}}),
        fx.post("/cgi/crm/v2/data/query", {**auth, "data": {**query, "search_query_info": {"limit": 10, "filters": [{"field_name": ["name"], "operator": "EQ", "field_values": ["x"]}]}}}),
        fx.post("/cgi/crm/v2/data/query", {**auth, "data": {**query, "search_query_info": {"limit": 10, "orders": [{"fieldName": {"a": 1}}]}}}),
        fx.post("/cgi/crm/v2/data/get", {**auth, "data": {"dataObjectApiName": "AccountObj", "objectDataId": ["x"]}}),
        fx.post("/cgi/crm/v2/object/list", {**auth, "currentOpenUserId": 1000}),
        fx.post("/cgi/crm/v2/object/list", {**auth, "corpAccessToken": ["x"]}),
        fx.post("/cgi/user/get", {**auth, "openUserId": ["x"]}),
        fx.post("/cgi/crm/v2/data/create", {**auth, "data": {"object_data": {"dataObjectApiName": "AccountObj", "name": "x", "account_level": ["重要客户"]}}}),
    ]  # fmt: skip

    assert [a["errorCode"] for a in answers] == [11016, 32103, 32103, 10001, 10001, 20016, 20012, 32105]
