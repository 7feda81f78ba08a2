"""The Fxiaoke adapter's writes and post-actions over real HTTP against the Fxiaoke sandbox."""

from connectors.errors import OutcomeUnknownError, PermanentError, QuotaExhaustedError
from syncjobs.adapters.base import TargetRef, WriteItem

CREATE = "/cgi/crm/v2/data/create"
SEND = "/cgi/message/send"
ORDER_DATE = 1_793_462_400_000  # 2026-11-01 00:00 Beijing time


def first_id(crm, obj):
    return next(iter(crm.client.query(obj, field_projection=["name"], page_size=1)))["_id"]


def order_payload(crm, quantities):
    product = first_id(crm, "ProductObj")
    lines = [{"product_id": product, "quantity": str(q), "sales_price": "10.50"} for q in quantities]
    return {
        "account_id": first_id(crm, "AccountObj"),
        "order_time": ORDER_DATE,
        "SalesOrderProductObj": lines,
    }


def lines_of(crm, order_id):
    query = crm.client.query("SalesOrderProductObj", [("order_id", "EQ", [order_id])])
    return [(line["quantity"], line["sales_price"]) for line in query]


def test_create_with_details_writes_master_and_lines_in_one_call(crm, crm_calls):
    [result] = crm.write("SalesOrderObj", [WriteItem("o1", order_payload(crm, [2, 3]))])

    assert result.ok and result.target.number.startswith("SO")
    assert [(c["outcome"], c["rows"]) for c in crm_calls.since_mark(CREATE)] == [("ok", 3)]
    assert lines_of(crm, result.target.id) == [("2", "10.50"), ("3", "10.50")]
    order = crm.client.get("SalesOrderObj", result.target.id)
    assert order["product_amount"] == "52.50" and order["name"] == result.target.number


def test_one_failing_item_does_not_stop_the_others(crm):
    items = [
        WriteItem("a", {"name": "逐条写入甲"}),
        WriteItem("b", {"tel": "0571-0"}),  # no name: the CRM requires one
        WriteItem("c", {"name": "逐条写入丙"}),
    ]

    results = crm.write("AccountObj", items)

    assert [(r.key, r.ok) for r in results] == [("a", True), ("b", False), ("c", True)]
    assert isinstance(results[1].error, PermanentError) and "name" in results[1].error.message
    assert [crm.client.get("AccountObj", r.target.id)["name"] for r in (results[0], results[2])] == [
        "逐条写入甲",
        "逐条写入丙",
    ]


def test_lost_create_answers_are_unknown_outcomes_item_by_item(crm, sandbox, crm_calls):
    names = ["应答丢失甲", "应答丢失乙"]
    sandbox.set_faults("fxiaoke", drop_after_commit_rate=1.0, operations=[CREATE])

    results = crm.write("AccountObj", [WriteItem(name, {"name": name}) for name in names])

    assert all(not r.ok and isinstance(r.error, OutcomeUnknownError) for r in results)
    assert [c["outcome"] for c in crm_calls.since_mark(CREATE)] == ["ok_dropped", "ok_dropped"]
    sandbox.clear_faults("fxiaoke")
    found = crm.find_by("AccountObj", "name", names)
    assert sorted(found) == sorted(names) and all(len(refs) == 1 for refs in found.values())


def test_a_used_up_quota_stops_the_batch_without_sending_the_rest(crm, sandbox, crm_calls):
    sandbox.set_faults("fxiaoke", daily_quota=1)

    results = crm.write("AccountObj", [WriteItem(str(i), {"name": f"配额客户{i}"}) for i in range(3)])

    assert all(isinstance(r.error, QuotaExhaustedError) for r in results)
    assert len(crm_calls.since_mark(CREATE)) == 1


def test_update_fields_in_a_write_change_only_those_fields(crm):
    [created] = crm.write("AccountObj", [WriteItem("a", {"name": "部分更新", "tel": "1", "remark": "原样"})])
    changed = {"name": "部分更新", "tel": "2", "remark": "不应写入"}

    [result] = crm.write("AccountObj", [WriteItem("a", changed, created.target.id, update_fields=["tel"])])

    record = crm.client.get("AccountObj", created.target.id)
    assert result.ok and (record["tel"], record["remark"]) == ("2", "原样")


def test_an_update_keeps_the_lines_in_step_one_call_per_changed_line(crm, crm_calls):
    [created] = crm.write("SalesOrderObj", [WriteItem("o", order_payload(crm, [1, 2]))])
    payload = order_payload(crm, [1, 5, 7])
    crm_calls.mark()

    [result] = crm.write("SalesOrderObj", [WriteItem("o", payload, created.target.id)])

    assert result.ok and lines_of(crm, created.target.id) == [("1", "10.50"), ("5", "10.50"), ("7", "10.50")]
    operations = [c["operation"].rsplit("/", 1)[1] for c in crm_calls.since_mark()]
    assert operations[:5] == ["update", "query", "update", "create", "query"]
    crm.write("SalesOrderObj", [WriteItem("o", order_payload(crm, [1]), created.target.id)])
    assert lines_of(crm, created.target.id) == [("1", "10.50")]


def test_update_fields_writes_one_value_back(crm):
    account = crm.client.create("AccountObj", {"name": "回写客户", "account_no": ""})

    crm.update_fields("AccountObj", account, {"account_no": "CUST0001"})

    assert crm.client.get("AccountObj", account)["account_no"] == "CUST0001"


def test_notify_owner_tells_the_owner_of_the_linked_order(crm, crm_tenant, crm_calls):
    seller = crm_tenant["sales_open_user_id"]
    payload = {**order_payload(crm, [1]), "owner": [seller]}
    [order] = crm.write("SalesOrderObj", [WriteItem("o", payload)])
    note = {"sales_order_id": order.target.id, "delivery_date": ORDER_DATE, "name": "FHTZD000123"}
    [delivery] = crm.write("DeliveryNoteObj", [WriteItem("d", note)])
    action = {
        "action": "notify_owner",
        "template": "订单 {order} 已发货，发货单号 {number}",
        "recipient": "sales_order_id",
        "fields": {"order": "sales_order_id__r"},
    }
    crm_calls.mark()

    outcome = crm.post_action("DeliveryNoteObj", action, [delivery.target])

    assert outcome == {delivery.target.id: None}
    [sent] = crm_calls.since_mark(SEND)
    assert sent["detail"] == f"to {seller}: 订单 {order.target.number} 已发货，发货单号 FHTZD000123"


def test_notify_owner_fails_only_the_record_whose_placeholder_is_missing(crm, crm_tenant, crm_calls):
    [a, b] = [crm.client.create("AccountObj", {"name": name}) for name in ("通知甲", "通知乙")]
    action = {
        "action": "notify_owner",
        "template": "客户 {name} 的订单 {erp_number} 已审核",
        "values": {a: {"erp_number": "XSDD000001"}},
    }

    outcome = crm.post_action("AccountObj", action, [TargetRef(a), TargetRef(b)])

    assert outcome[a] is None
    assert isinstance(outcome[b], PermanentError) and "{erp_number}" in outcome[b].message
    [sent] = crm_calls.since_mark(SEND)
    assert sent["detail"] == f"to {crm_tenant['open_user_id']}: 客户 通知甲 的订单 XSDD000001 已审核"


def test_void_takes_the_record_out_of_queries(crm):
    account = crm.client.create("AccountObj", {"name": "待作废"})

    crm.void("AccountObj", TargetRef(account))

    assert crm.client.get("AccountObj", account)["life_status"] == "invalid"
    assert crm.find_by("AccountObj", "name", ["待作废"]) == {}


def test_call_counts_come_from_the_client(crm):
    crm.find_by("AccountObj", "name", ["x"])

    assert crm.call_counts()["/cgi/crm/v2/data/query"] == 1
