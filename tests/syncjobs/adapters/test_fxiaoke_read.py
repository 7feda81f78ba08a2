"""The Fxiaoke adapter's reads over real HTTP against the Fxiaoke sandbox."""

import math
from datetime import timedelta

from syncjobs.adapters.base import ReadOptions, TargetRef
from syncjobs.adapters.fxiaoke_read import from_ms, saved_by

QUERY = "/cgi/crm/v2/data/query"
SEEDED_ORDERS = [{"field_name": "name", "operator": "STARTWITH", "field_values": ["SO0"]}]


def newest_change(crm, obj):
    return max(
        row["last_modified_time"] for row in crm.client.query(obj, field_projection=["last_modified_time"])
    )


def test_read_changed_returns_the_records_changed_since(crm, sandbox):
    old = crm.client.create("AccountObj", {"name": "增量读取旧客户"})
    since = from_ms(newest_change(crm, "AccountObj")) + timedelta(milliseconds=1)
    sandbox.advance_clock("fxiaoke", 1)
    edited = next(iter(crm.client.query("AccountObj", [("_id", "N", [old])], page_size=1)))["_id"]
    crm.client.update("AccountObj", edited, {"remark": "changed"})
    new = crm.client.create("AccountObj", {"name": "增量读取新客户"})

    pages = list(crm.read_changed("AccountObj", since, ReadOptions(fields=["name", "remark"])))

    records = {record.id: record for page in pages for record in page}
    assert set(records) == {edited, new}
    assert records[edited].data["remark"] == "changed" and records[new].number == "增量读取新客户"
    assert all(record.modified_at >= since for record in records.values())


def test_read_asks_only_for_the_fields_the_mapping_reads(crm):
    options = ReadOptions(fields=["account_id__r.name", "mobile1"], page_size=5)

    [page, *_rest] = crm.read_changed("ContactObj", None, options)

    allowed = {"_id", "name", "last_modified_time", "life_status", "account_id", "account_id__r", "mobile1"}
    # Who saved it (an echo is the hub's own save), with the companions the CRM adds.
    allowed |= {"last_modified_by", "last_modified_by__r", "last_modified_by__l"}
    assert page and all(set(record.data) <= allowed for record in page)
    assert all(record.data["account_id__r"] for record in page)


def test_master_detail_read_attaches_lines_with_one_detail_query_per_page(crm, crm_tenant, crm_calls):
    orders = crm_tenant["counts"]["SalesOrderObj"]
    fields = ["name", "account_id", "SalesOrderProductObj[].quantity", "SalesOrderProductObj[].product_id"]
    crm_calls.mark()

    pages = list(crm.read_changed("SalesOrderObj", None, ReadOptions(fields, 3, SEEDED_ORDERS)))

    records = [record for page in pages for record in page]
    assert len(pages) == math.ceil(orders / 3) and len(records) == orders
    lines = [line for record in records for line in record.data["SalesOrderProductObj"]]
    assert len(lines) == crm_tenant["counts"]["SalesOrderProductObj"]
    assert all(
        line["order_id"] == record.id for record in records for line in record.data["SalesOrderProductObj"]
    )
    assert all(line["quantity"] and line["product_id"] for line in lines)
    master_queries = len(pages) + (orders % 3 == 0)  # a full last page needs an empty one to end
    assert len(crm_calls.since_mark(QUERY)) == master_queries + len(pages)


def test_voided_records_are_read_only_when_asked_for_and_marked_deleted(crm):
    voided = crm.client.create("AccountObj", {"name": "作废客户"})
    crm.void("AccountObj", TargetRef(voided))

    assert crm.read_ids("AccountObj", [voided], ReadOptions(fields=["name"])) == []
    [record] = crm.read_ids("AccountObj", [voided], ReadOptions(fields=["name"], include_deleted=True))
    assert record.deleted and record.data["life_status"] == "invalid"


def test_find_by_looks_all_values_up_in_one_query(crm, crm_calls):
    codes = [row["product_code"] for row in crm.client.query("ProductObj", field_projection=["product_code"])]
    crm_calls.mark()

    found = crm.find_by("ProductObj", "product_code", [*codes, "NO-SUCH-CODE"])

    assert sorted(found) == sorted(codes) and all(len(refs) == 1 for refs in found.values())
    assert len(crm_calls.since_mark(QUERY)) == 1


def test_fetch_current_gives_the_named_fields_and_lines(crm):
    order = next(iter(crm.client.query("SalesOrderObj", SEEDED_ORDERS, page_size=1)))
    lines = list(crm.client.query("SalesOrderProductObj", [("order_id", "EQ", [order["_id"]])]))

    current = crm.fetch_current(
        "SalesOrderObj", [order["_id"]], ["account_id", "SalesOrderProductObj[].quantity"]
    )

    assert current == {
        order["_id"]: {
            "account_id": order["account_id"],
            "SalesOrderProductObj": [{"quantity": line["quantity"]} for line in lines],
        }
    }


def test_a_read_tells_the_hubs_own_saves_from_a_persons(crm, crm_tenant, sandbox):
    ours, theirs = (crm.client.create("AccountObj", {"name": f"修改人{n}"}) for n in (1, 2))
    sandbox.simulate("fxiaoke", tenant=crm_tenant["tenant"], save={"AccountObj": {theirs: {"remark": "x"}}})

    records = crm.read_ids("AccountObj", [ours, theirs], ReadOptions(fields=["name"]))

    assert {record.id: record.saved_by_hub for record in records} == {ours: True, theirs: False}


def test_only_modifiers_in_the_hubs_own_id_form_are_judged():
    me = "FSUID_" + "A" * 32
    assert saved_by([me], me) is True and saved_by(me, me) is True  # a list, or a bare id
    assert saved_by(["FSUID_" + "B" * 32], me) is False
    assert saved_by(["-10000"], me) is False  # the CRM itself (a workflow), not the hub
    # A CRM user id ("1000", the newer payloads' form) cannot be tied to the openUserId.
    assert saved_by(["1000"], me) is None
    assert saved_by(None, me) is None and saved_by([], me) is None and saved_by([me], "") is None
