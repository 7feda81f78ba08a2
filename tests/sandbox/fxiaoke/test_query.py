"""``data/query``: every operator (AND-combined), orders, projection, voided records, data permission."""

import pytest

from tests.sandbox.fxiaoke.conftest import FxiaokeHttp, flt

VISIT = "object_Ab12c__c"
DAY = 86_400_000
T0 = 1_788_710_400_000  # 2026-09-07 00:00 Beijing
ON_SITE, PHONE, VIDEO = "Hb4kT7s2P", "Mw8cR1n5G", "Zq3vY6e9J"


@pytest.fixture(scope="module")
def visits(sandbox_server):
    """Four customer visits with distinct values (V4 leaves most fields empty)."""
    sandbox_server.clear_faults("fxiaoke")
    tenant = sandbox_server.seed(size=3, seed=5, systems=["fxiaoke"])["fxiaoke"]
    fx = FxiaokeHttp(sandbox_server, tenant)
    account = fx.create("AccountObj", {"name": "拜访对象有限公司"})
    values = {
        "V1": {"name": "首次拜访-上海", "field_Wn3Fe__c": "100.00", "field_Qx7vD__c": T0, "field_R4tLs__c": "option1",
               "field_Tg5Hn__c": [ON_SITE, PHONE], "field_Zp2Lm__c": True, "field_Cc1Jp__c": [tenant["sales_open_user_id"]],
               "field_h8PzB__c": "客户关注交期"},
        "V2": {"name": "二次拜访-北京", "field_Wn3Fe__c": "250.50", "field_Qx7vD__c": T0 + DAY, "field_R4tLs__c": "option2",
               "field_Tg5Hn__c": [PHONE], "field_Zp2Lm__c": False},
        "V3": {"name": "电话回访-上海", "field_Wn3Fe__c": "99.99", "field_Qx7vD__c": T0 + 2 * DAY, "field_R4tLs__c": "other",
               "field_Tg5Hn__c": [VIDEO]},
        "V4": {"name": "年度拜访", "field_Qx7vD__c": T0 + 3 * DAY},
    }  # fmt: skip
    fx.ids = {key: fx.create(VISIT, {**v, "field_9mK2a__c": account}) for key, v in values.items()}
    fx.names = {v["name"]: key for key, v in values.items()}
    yield fx
    fx.http.close()


def keys(fx, *filters, **data):
    return sorted(fx.names[row["name"]] for row in fx.rows(VISIT, filters, **data))


@pytest.mark.parametrize(
    ("filter_", "expected"),
    [
        (flt("field_R4tLs__c", "EQ", "option1"), ["V1"]),
        (flt("field_R4tLs__c", "N", "option1"), ["V2", "V3", "V4"]),  # N also matches empty values
        (flt("field_Wn3Fe__c", "GT", "100"), ["V2"]),
        (flt("field_Wn3Fe__c", "GTE", "100"), ["V1", "V2"]),
        (flt("field_Wn3Fe__c", "LT", "100"), ["V3"]),
        (flt("field_Wn3Fe__c", "LTE", "100.00"), ["V1", "V3"]),
        (flt("name", "LIKE", "拜访"), ["V1", "V2", "V4"]),
        (flt("name", "NLIKE", "拜访"), ["V3"]),
        (flt("field_Wn3Fe__c", "IS"), ["V4"]),
        (flt("field_Wn3Fe__c", "ISN"), ["V1", "V2", "V3"]),
        (flt("field_R4tLs__c", "IN", "option1", "option2"), ["V1", "V2"]),
        (flt("field_R4tLs__c", "NIN", "option1"), ["V2", "V3", "V4"]),
        (flt("field_Wn3Fe__c", "BETWEEN", "99.99", "100"), ["V1", "V3"]),
        (flt("field_Wn3Fe__c", "NBETWEEN", "99.99", "100"), ["V2", "V4"]),
        (flt("name", "STARTWITH", "二次"), ["V2"]),
        (flt("name", "ENDWITH", "上海"), ["V1", "V3"]),
        (flt("field_Tg5Hn__c", "CONTAINS", PHONE, ON_SITE), ["V1"]),
        (flt("field_Tg5Hn__c", "CONTAINS", PHONE), ["V1", "V2"]),
        (flt("field_Tg5Hn__c", "HASANYOF", VIDEO, ON_SITE), ["V1", "V3"]),
        (flt("field_Tg5Hn__c", "NHASANYOF", PHONE), ["V3", "V4"]),
        (flt("field_Zp2Lm__c", "EQ", "true"), ["V1"]),
        (flt("field_Qx7vD__c", "GT", str(T0 + DAY)), ["V3", "V4"]),
        (flt("field_Qx7vD__c", "BETWEEN", str(T0), str(T0 + DAY)), ["V1", "V2"]),
        (flt("field_h8PzB__c", "CONTAINS", "交期"), ["V1"]),
    ],
)
def test_each_operator_selects_the_right_records(visits, filter_, expected):
    assert keys(visits, filter_) == expected


def test_employee_fields_match_by_open_user_id_or_crm_user_id(visits):
    by_open_id = keys(visits, flt("field_Cc1Jp__c", "EQ", visits.tenant["sales_open_user_id"]))
    by_user_id = keys(visits, flt("field_Cc1Jp__c", "IN", "1001"))

    assert by_open_id == by_user_id == ["V1"]


def test_filters_are_combined_with_and(visits):
    assert keys(visits, flt("name", "LIKE", "拜访"), flt("field_Wn3Fe__c", "GT", "99")) == ["V1", "V2"]


def test_id_and_time_conditions_run_alongside_the_others(visits):
    first = visits.ids["V1"]
    created = visits.get(VISIT, first)["data"]["create_time"]

    after_first = keys(visits, flt("_id", "GT", first))
    window = keys(visits, flt("create_time", "GTE", str(created)), flt("name", "ENDWITH", "上海"))

    assert after_first == ["V2", "V3", "V4"]
    assert window == ["V1", "V3"]


def test_orders_on_any_field_with_empty_values_first_when_ascending(visits):
    rows = visits.rows(VISIT, orders=[{"fieldName": "field_Wn3Fe__c", "isAsc": True}])
    descending = visits.rows(VISIT, orders=[{"fieldName": "field_Wn3Fe__c", "isAsc": False}])

    assert [visits.names[r["name"]] for r in rows] == ["V4", "V3", "V1", "V2"]
    assert [visits.names[r["name"]] for r in descending] == ["V2", "V1", "V3", "V4"]


def test_field_projection_returns_only_those_fields_with_id_and_companions(visits):
    rows = visits.rows(
        VISIT, [flt("name", "EQ", "首次拜访-上海")], info={"fieldProjection": ["name", "field_9mK2a__c"]}
    )

    assert set(rows[0]) == {"_id", "name", "field_9mK2a__c", "field_9mK2a__c__r"}
    assert rows[0]["field_9mK2a__c__r"] == "拜访对象有限公司"


def test_include_null_returns_empty_fields_as_null(visits):
    answer = visits.call(
        "/cgi/crm/custom/v2/data/query",
        {
            "dataObjectApiName": VISIT,
            "search_query_info": {"limit": 10, "filters": [flt("name", "EQ", "年度拜访")]},
        },
        includeNull=True,
    )

    row = answer["data"]["dataList"][0]
    assert row["field_Wn3Fe__c"] is None and row["field_Tg5Hn__c"] is None
    assert "field_Wn3Fe__c" not in visits.rows(VISIT, [flt("name", "EQ", "年度拜访")])[0]


def test_voided_records_are_left_out_unless_life_status_is_asked_for(visits):
    voided = visits.create(
        VISIT,
        {
            "name": "作废的拜访",
            "field_9mK2a__c": visits.get(VISIT, visits.ids["V1"])["data"]["field_9mK2a__c"],
        },
    )
    visits.call("/cgi/crm/custom/v2/data/invalid", {"dataObjectApiName": VISIT, "object_data_id": voided})

    default = [r["_id"] for r in visits.rows(VISIT)]
    asked = [r["_id"] for r in visits.rows(VISIT, [flt("life_status", "EQ", "invalid")])]

    assert voided not in default and len(default) == 4
    assert asked == [voided]


def test_a_salesperson_sees_only_the_records_they_own(visits):
    sales = visits.tenant["sales_open_user_id"]
    own = visits.create("AccountObj", {"name": "销售自己的客户", "owner": [sales]})

    seen_by_sales = visits.rows("AccountObj", open_user_id=sales)
    own_record = visits.get("AccountObj", own, open_user_id=sales)
    admins_record = visits.get(VISIT, visits.ids["V1"], open_user_id=sales)

    assert own in {r["_id"] for r in seen_by_sales}
    assert all(r["owner"] == [sales] for r in seen_by_sales)
    assert own_record["errorCode"] == 0
    assert admins_record["errorCode"] == 32110  # [invented] code for "无此操作的数据权限"
    assert admins_record["errorMessage"] == "无此操作的数据权限"


@pytest.mark.parametrize(
    ("filter_", "code"),
    [
        (flt("no_such_field", "EQ", "x"), 32103),  # [invented] unknown field
        (flt("name", "NE", "x"), 32109),  # [invented] unknown operator: "not equal" is N
        (flt("field_Tg5Hn__c", "GT", PHONE), 32109),  # a range on a list field
        (flt("field_Wn3Fe__c", "EQ", "abc"), 32109),  # not a number
        (flt("field_Wn3Fe__c", "BETWEEN", "1"), 32109),  # BETWEEN takes two values
        ({"field_name": "name", "operator": "EQ", "field_values": "x"}, 32109),  # field_values is a list
    ],
)
def test_bad_conditions_are_refused_with_a_message(visits, filter_, code):
    answer = visits.query(VISIT, [filter_])

    assert answer["errorCode"] == code
    assert answer["errorMessage"]
