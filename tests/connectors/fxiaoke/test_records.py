"""Records over real HTTP against the Fxiaoke sandbox: preset, custom and master-detail."""

import pytest

from connectors.errors import PermanentError


def first(client, api_name, **filters):
    conditions = [(field, "EQ", value) for field, value in filters.items()]
    return next(iter(client.query(api_name, filters=conditions)), None)


def an_account_id(client):
    return next(iter(client.query("AccountObj", field_projection=["name"], page_size=1)))["_id"]


def a_product_id(client):
    return next(iter(client.query("ProductObj", field_projection=["name"], page_size=1)))["_id"]


def test_it_creates_reads_and_updates_an_account(client):
    data_id = client.create(
        "AccountObj", {"name": "杭州测试机电有限公司", "account_no": "T-001", "tel": "0571-1"}
    )
    record = client.get("AccountObj", data_id)
    assert record["name"] == "杭州测试机电有限公司" and record["life_status"] == "normal"
    version = record["version"]

    assert client.update("AccountObj", data_id, {"remark": "已核对"}) == data_id

    updated = client.get("AccountObj", data_id)
    assert updated["remark"] == "已核对" and updated["last_modified_time"] >= record["last_modified_time"]
    assert int(updated["version"]) > int(version)


def test_it_creates_an_order_with_its_lines_in_one_call(client, sandbox, tenant):
    account_id, product_id = an_account_id(client), a_product_id(client)
    lines = [
        {"product_id": product_id, "quantity": "2", "sales_price": "150.00", "product_price": "150.00"},
        {"product_id": product_id, "quantity": "1", "sales_price": "99.50", "product_price": "99.50"},
    ]
    before = len(sandbox.calls(system="fxiaoke", tenant=tenant["tenant"]))

    order_id = client.create(
        "SalesOrderObj",
        {"account_id": account_id, "order_time": 1717171200000, "order_status": "7"},
        details={"SalesOrderProductObj": lines},
    )

    creates = [
        c
        for c in sandbox.calls(system="fxiaoke", tenant=tenant["tenant"])[before:]
        if "create" in c["operation"]
    ]
    assert [(c["operation"], c["rows"]) for c in creates] == [("/cgi/crm/v2/data/create", 3)]
    saved = list(client.query("SalesOrderProductObj", filters=[("order_id", "EQ", order_id)]))
    assert sorted(line["subtotal"] for line in saved) == ["300.00", "99.50"]
    assert client.get("SalesOrderObj", order_id)["product_amount"] == "399.50"


def test_an_order_with_a_bad_line_creates_nothing(client):
    account_id = an_account_id(client)
    lines = [{"product_id": "0" * 24, "quantity": "1", "sales_price": "1.00"}]
    with pytest.raises(PermanentError):
        client.create(
            "SalesOrderObj",
            {"account_id": account_id, "order_time": 1717171200000, "remark": "atomic-check"},
            details={"SalesOrderProductObj": lines},
        )
    assert first(client, "SalesOrderObj", remark="atomic-check") is None


def test_it_voids_deletes_and_recovers(client):
    kept = client.create("AccountObj", {"name": "作废后恢复的客户"})
    gone = client.create("AccountObj", {"name": "作废后删除的客户"})
    client.invalid("AccountObj", kept)
    client.invalid("AccountObj", gone)

    client.recover("AccountObj", kept)
    client.delete("AccountObj", [gone])

    assert client.get("AccountObj", kept)["life_status"] == "normal"
    with pytest.raises(PermanentError) as raised:
        client.get("AccountObj", gone)
    assert raised.value.trace_id


def test_a_record_must_be_voided_before_it_is_deleted(client):
    data_id = client.create("AccountObj", {"name": "未作废的客户"})
    with pytest.raises(PermanentError):
        client.delete("AccountObj", data_id)
    assert client.get("AccountObj", data_id)["name"] == "未作废的客户"


def test_it_changes_the_owner(client, tenant):
    data_id = client.create("AccountObj", {"name": "换负责人的客户"})
    client.change_owner("AccountObj", data_id, tenant["sales_open_user_id"])
    assert client.get("AccountObj", data_id)["owner"] == [tenant["sales_open_user_id"]]


def test_leads_work_like_any_other_object(client):
    lead_id = client.create("LeadsObj", {"name": "王经理", "company": "苏州测试", "leads_status": "1"})
    client.update("LeadsObj", lead_id, {"leads_status": "2"})
    assert first(client, "LeadsObj", name="王经理")["leads_status"] == "2"


def test_custom_objects_go_through_the_custom_path_family(client, sandbox, tenant):
    account_id = an_account_id(client)
    visit_id = client.create(
        "object_Ab12c__c",
        {
            "name": "季度回访",
            "field_9mK2a__c": account_id,
            "field_R4tLs__c": "option1",
            "field_Wn3Fe__c": "35.00",
        },
    )
    client.update("object_Ab12c__c", visit_id, {"field_Zp2Lm__c": True})
    client.invalid("object_Ab12c__c", visit_id)
    client.recover("object_Ab12c__c", visit_id)

    record = client.get("object_Ab12c__c", visit_id)
    assert record["field_Zp2Lm__c"] is True and record["field_9mK2a__c__r"]
    operations = {c["operation"] for c in sandbox.calls(system="fxiaoke", tenant=tenant["tenant"])}
    assert {"/cgi/crm/custom/v2/data/create", "/cgi/crm/custom/v2/data/get"} <= operations
    assert "/cgi/crm/v2/data/create" not in operations


def test_it_describes_fields_for_the_pickers(client):
    described = client.describe("object_Ab12c__c")
    fields = {f["api_name"]: f for f in described["fields"]}
    assert described["label"] == "客户拜访记录"
    assert (
        fields["field_9mK2a__c"]["target_api_name"] == "AccountObj" and fields["field_9mK2a__c"]["required"]
    )
    assert {"label": "上门拜访", "value": "Hb4kT7s2P"} in fields["field_Tg5Hn__c"]["options"]


def test_it_describes_a_master_with_its_detail_objects(client):
    described = client.describe("SalesOrderObj")
    assert described["details"] == [{"api_name": "SalesOrderProductObj", "label": "订单产品"}]


def test_it_lists_preset_and_custom_objects(client):
    objects = {o["api_name"]: o for o in client.list_objects()}
    assert objects["LeadsObj"]["label"] == "销售线索" and not objects["LeadsObj"]["custom"]
    assert objects["object_Ab12c__c"]["custom"]


def test_it_sends_a_text_to_the_orders_owner(client, sandbox, tenant):
    client.send_text([tenant["sales_open_user_id"]], "订单 SO-1 已发货")
    sent = [
        c
        for c in sandbox.calls(system="fxiaoke", tenant=tenant["tenant"])
        if c["operation"] == "/cgi/message/send"
    ]
    assert [(c["outcome"], c["rows"]) for c in sent] == [("ok", 1)]


def test_it_counts_calls_per_interface_for_the_day(client):
    client.list_objects()
    client.list_objects()
    list(client.query("ProductObj", page_size=5))
    counts = client.call_counts()
    assert counts["/cgi/corpAccessToken/get/V2"] == 1
    assert counts["/cgi/crm/v2/object/list"] == 2
    assert counts["/cgi/crm/v2/data/query"] == 3  # 12 products in pages of 5
