"""Value types on writes: string numbers, ms dates, list-valued employees, select option values,
existing lookups; companions ignored on write, empty fields left out on read.

The error codes here are the sandbox's [invented] ones (the platform documents none):
32102 required field missing, 32103 unknown field, 32105 illegal field value.
"""

import pytest

VISIT = "object_Ab12c__c"


@pytest.fixture
def account(fx):
    return fx.create("AccountObj", {"name": "类型检查有限公司"})


def create(fx, api_name, values):
    path = "/cgi/crm/custom/v2/data/create" if api_name.endswith("__c") else "/cgi/crm/v2/data/create"
    return fx.call(path, {"object_data": {"dataObjectApiName": api_name, **values}})


@pytest.mark.parametrize(
    ("field", "value", "hint"),
    [
        ("field_Wn3Fe__c", 100.5, "strings"),  # currency as a JSON number
        ("field_Wn3Fe__c", "abc", "not a number"),
        ("field_Wn3Fe__c", "1.005", "decimal places"),
        ("field_Qx7vD__c", "2026-09-01", "milliseconds"),  # date_time as text
        ("field_R4tLs__c", "有意向", "send the option value 'option1'"),  # the label, not the value
        ("field_R4tLs__c", "option9", "not an option"),
        ("field_Tg5Hn__c", "Hb4kT7s2P", "takes a list"),  # select_many needs a list
        ("field_Cc1Jp__c", "1000", "takes a list"),  # employee fields are lists
        ("field_Cc1Jp__c", ["FSUID_" + "0" * 32], "no employee"),
        ("field_Zp2Lm__c", "true", "true or false"),
        ("field_9mK2a__c", "ffffffffffffffffffffffff", "no AccountObj record"),  # lookup to a missing record
    ],
)
def test_an_illegal_value_is_refused_naming_the_field(fx, account, field, value, hint):
    answer = create(fx, VISIT, {"name": "类型检查", "field_9mK2a__c": account, field: value})

    assert answer["errorCode"] == 32105
    assert field in answer["errorMessage"]
    assert hint in answer["errorMessage"]


def test_valid_values_of_every_type_are_stored_as_sent(fx, account):
    values = {
        "name": "类型齐全",
        "field_9mK2a__c": account,
        "field_Wn3Fe__c": "88.80",
        "field_Qx7vD__c": 1788750000000,
        "field_R4tLs__c": "option2",
        "field_Tg5Hn__c": ["Hb4kT7s2P", "Zq3vY6e9J"],
        "field_Zp2Lm__c": False,
        "field_Cc1Jp__c": ["1001"],
    }

    visit_id = fx.create(VISIT, values)

    stored = fx.get(VISIT, visit_id)["data"]
    assert {k: stored[k] for k in values if k != "field_Cc1Jp__c"} == {
        k: v for k, v in values.items() if k != "field_Cc1Jp__c"
    }
    assert stored["field_Cc1Jp__c"] == [fx.tenant["sales_open_user_id"]]  # stored as the openUserId
    assert stored["field_9mK2a__c__r"] == "类型检查有限公司"


def test_a_lookup_to_a_voided_record_is_refused(fx, account):
    fx.call("/cgi/crm/v2/data/invalid", {"dataObjectApiName": "AccountObj", "object_data_id": account})

    answer = fx.call(
        "/cgi/crm/v2/data/create",
        {"object_data": {"dataObjectApiName": "ContactObj", "name": "王伟", "account_id": account}},
    )

    assert answer["errorCode"] == 32105 and "account_id" in answer["errorMessage"]


def test_an_unknown_field_is_refused(fx):
    answer = create(fx, "AccountObj", {"name": "未知字段有限公司", "field_nope__c": "x"})

    assert answer["errorCode"] == 32103 and "field_nope__c" in answer["errorMessage"]


def test_a_missing_required_field_is_refused_with_its_label(fx):
    answer = create(fx, "ProductObj", {"name": "无价格产品"})

    assert answer["errorCode"] == 32102
    assert "ProductObj.price(标准价格)" in answer["errorMessage"]


def test_read_only_fields_and_companions_sent_back_are_ignored(fx):
    echoed = {
        "name": "回显有限公司",
        "_id": "0" * 24,
        "life_status": "invalid",
        "create_time": 1,
        "owner__r": {"name": "someone"},
        "last_modified_by": ["-10000"],
    }

    account_id = fx.create("AccountObj", echoed)

    stored = fx.get("AccountObj", account_id)["data"]
    assert account_id != "0" * 24
    assert stored["life_status"] == "normal" and stored["create_time"] > 1
    assert stored["last_modified_by"] == [fx.tenant["open_user_id"]]


def test_has_specify_time_lets_a_create_set_its_times(fx):
    answer = fx.call(
        "/cgi/crm/v2/data/create",
        {
            "object_data": {
                "dataObjectApiName": "AccountObj",
                "name": "历史数据有限公司",
                "create_time": 1600000000000,
            }
        },
        hasSpecifyTime=True,
    )

    stored = fx.get("AccountObj", answer["dataId"])["data"]
    assert stored["create_time"] == 1600000000000
    assert answer["dataId"].startswith(f"{1600000000:08x}")
