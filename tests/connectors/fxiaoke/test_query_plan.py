"""The paging plan against an in-memory stand-in that enforces the CRM's paging rules."""

import bisect
import itertools
import random

import pytest

from connectors.fxiaoke.query import QueryPlan, normalize_filter, normalize_order


def make_records(count, seed=7):
    rng = random.Random(seed)
    ids = sorted({f"{rng.getrandbits(96):024x}" for _ in range(count * 2)})[:count]
    rng.shuffle(ids)
    # Few distinct names, so the sort has many ties for _id to break.
    return [{"_id": i, "name": f"客户{rng.randint(1, 50):03d}", "tel": "021"} for i in ids]


class PagingCrm:
    """Answers search_query_info as the spec says the CRM does, refusing what it refuses.

    Knows only ``GT`` filters; ``_id GT`` on an ``_id``-sorted query is found by bisection
    so a 20,000-record pull stays fast.
    """

    def __init__(self, records):
        self.records = records
        self.sorted = {}

    def page(self, info):
        limit, offset = info["limit"], info["offset"]
        assert limit <= 100, "limit above 100"
        assert offset % limit == 0 and offset <= 10000, "offset out of range 10000"
        rows, filters = self._sorted(info["orders"]), list(info["filters"])
        if info["orders"] == [{"fieldName": "_id", "isAsc": True}]:
            for item in [f for f in filters if f["field_name"] == "_id"]:
                start = bisect.bisect_right(rows, item["field_values"][0], key=lambda r: r["_id"])
                rows = rows[start:]
                filters.remove(item)
        matching = (r for r in rows if all(r[f["field_name"]] > f["field_values"][0] for f in filters))
        page = list(itertools.islice(matching, offset, offset + limit))
        fields = info.get("fieldProjection")
        return [{k: v for k, v in r.items() if k in fields} for r in page] if fields else page

    def _sorted(self, orders):
        key = str(orders)
        if key not in self.sorted:
            rows = list(self.records)
            for order in reversed(orders):
                rows.sort(key=lambda r, name=order["fieldName"]: r[name], reverse=not order["isAsc"])
            self.sorted[key] = rows
        return self.sorted[key]


def pull(records, **kwargs):
    crm, plan, seen, queries = PagingCrm(records), QueryPlan(**kwargs), [], []
    while (info := plan.next_query()) is not None:
        queries.append(info)
        seen.extend(plan.take(crm.page(info)))
    return seen, queries


def test_a_full_pull_of_20000_records_returns_each_exactly_once():
    records = make_records(20000)
    seen, queries = pull(records)
    assert sorted(r["_id"] for r in seen) == sorted(r["_id"] for r in records)
    assert len(queries) == 201
    assert all(q["offset"] == 0 and q["orders"] == [{"fieldName": "_id", "isAsc": True}] for q in queries)


def test_cursor_pages_filter_on_the_last_id_of_the_previous_page():
    records = make_records(250)
    _, queries = pull(records)
    last_of_first_page = sorted(r["_id"] for r in records)[99]
    assert "filters" in queries[0] and queries[0]["filters"] == []
    assert queries[1]["filters"] == [
        {"field_name": "_id", "field_values": [last_of_first_page], "operator": "GT"}
    ]


def test_a_sorted_pull_past_the_offset_cap_switches_to_cursor_and_repeats_nothing():
    records = make_records(10350)
    seen, queries = pull(records, orders=["-name"])
    ids = [r["_id"] for r in seen]
    assert len(ids) == len(set(ids)) == 10350
    assert max(q["offset"] for q in queries) == 10000
    first = seen[:10100]
    assert [r["name"] for r in first] == sorted((r["name"] for r in first), reverse=True)
    assert queries[-1]["orders"] == [{"fieldName": "_id", "isAsc": True}]


def test_a_sorted_pull_breaks_ties_by_id_so_offset_pages_never_overlap():
    records = make_records(450)
    seen, queries = pull(records, orders=[("name", True)])
    assert queries[0]["orders"] == [{"fieldName": "name", "isAsc": True}, {"fieldName": "_id", "isAsc": True}]
    assert len({r["_id"] for r in seen}) == 450 and len(queries) == 5


def test_page_size_is_capped_at_100_and_offsets_stay_multiples_of_it():
    plan = QueryPlan(page_size=500)
    assert plan.next_query()["limit"] == 100
    assert QueryPlan(orders=["name"], page_size=30).max_offset == 9990


def test_a_short_page_ends_the_pull():
    records = make_records(40)
    seen, queries = pull(records, page_size=50)
    assert len(seen) == 40 and len(queries) == 1


def test_the_projection_always_carries_the_id_the_cursor_needs():
    records = make_records(120)
    seen, queries = pull(records, field_projection=["name"])
    assert queries[0]["fieldProjection"] == ["_id", "name"]
    assert set(seen[0]) == {"_id", "name"}


def test_caller_filters_are_kept_on_every_page():
    records = make_records(300)
    floor = sorted(r["_id"] for r in records)[149]
    seen, queries = pull(records, filters=[("_id", "GT", floor)])
    assert len(seen) == 150
    assert all(
        q["filters"][0] == {"field_name": "_id", "field_values": [floor], "operator": "GT"} for q in queries
    )


def test_filters_and_orders_accept_the_crms_own_dicts():
    crm_filter = {"field_name": "life_status", "field_values": ["normal"], "operator": "EQ"}
    assert normalize_filter(crm_filter) == crm_filter
    assert normalize_filter(("account_no", "IN", ("A1", "A2")))["field_values"] == ["A1", "A2"]
    assert normalize_order({"fieldName": "create_time", "isAsc": False}) == {
        "fieldName": "create_time",
        "isAsc": False,
    }
    assert normalize_order("-create_time") == {"fieldName": "create_time", "isAsc": False}


def test_a_page_that_does_not_move_the_cursor_stops_the_pull():
    from connectors.errors import PermanentError

    plan = QueryPlan(page_size=2)
    plan.take([{"_id": "a"}, {"_id": "b"}])
    with pytest.raises(PermanentError):
        plan.take([{"_id": "a"}, {"_id": "b"}])


def test_page_size_below_one_is_refused():
    with pytest.raises(ValueError):
        QueryPlan(page_size=0)
