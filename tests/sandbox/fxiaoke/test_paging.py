"""Paging rules of ``data/query``: limit ≤ 100, offset a multiple of limit and ≤ 10000,
totals on or off, and ``_id GT`` cursor pulls over many records."""

import time

import pytest

from tests.sandbox.fxiaoke.conftest import flt

BY_ID = [{"fieldName": "_id", "isAsc": True}]


def test_a_limit_above_100_is_refused(fx):
    answer = fx.query("AccountObj", limit=101)

    assert answer["errorCode"] == 32109  # [invented] the platform documents only the cap
    assert "limit" in answer["errorMessage"]


def test_an_offset_beyond_10000_is_10013_with_the_documented_message(fx):
    answer = fx.query("AccountObj", limit=100, offset=10100)

    assert answer["errorCode"] == 10013
    assert answer["errorMessage"] == "offset out of range 10000"
    assert answer["errorDescription"] == "offset 不能超过10000"


def test_an_offset_of_10000_is_still_allowed(fx):
    answer = fx.query("AccountObj", limit=100, offset=10000)

    assert answer["errorCode"] == 0 and answer["data"]["dataList"] == []


def test_an_offset_that_is_not_a_multiple_of_the_limit_is_10013(fx):
    answer = fx.query("AccountObj", limit=4, offset=6)

    assert answer["errorCode"] == 10013
    assert "multiple of limit" in answer["errorMessage"]  # the message is the sandbox's [invented]


def test_offset_pages_do_not_overlap_and_report_the_total(fx):
    pages = [fx.query("AccountObj", orders=BY_ID, limit=4, offset=offset)["data"] for offset in (0, 4, 8)]

    ids = [row["_id"] for page in pages for row in page["dataList"]]
    assert [len(page["dataList"]) for page in pages] == [4, 4, 2]
    assert len(set(ids)) == 10 and ids == sorted(ids)
    assert {page["total"] for page in pages} == {10}
    assert [(page["offset"], page["limit"]) for page in pages] == [(0, 4), (4, 4), (8, 4)]


@pytest.mark.parametrize(
    ("switch", "expected_total"),
    [
        ({}, 10),
        ({"find_explicit_total_num": False}, 0),
        ({"find_explicit_total_num": True}, 10),
        ({"returnTotalNum": 3}, 0),
        ({"returnTotalNum": 1}, 10),
        ({"need_return_count_num": False}, 0),
    ],
)
def test_totals_can_be_turned_off(fx, switch, expected_total):
    answer = fx.query("AccountObj", limit=2, **switch)

    assert answer["data"]["total"] == expected_total
    assert len(answer["data"]["dataList"]) == 2


def pull_by_id_cursor(fx, api_name, extra_filters=(), page_size=100):
    """The documented deep-paging recipe: _id ascending, offset 0, _id GT the last id."""
    seen, last, pages = [], None, 0
    while True:
        filters = [*extra_filters, *([flt("_id", "GT", last)] if last else [])]
        answer = fx.query(
            api_name, filters, BY_ID, limit=page_size, find_explicit_total_num=False,
            info={"fieldProjection": ["_id", "name", "last_modified_time"]},
        )  # fmt: skip
        assert answer["errorCode"] == 0, answer
        rows = answer["data"]["dataList"]
        pages += 1
        seen.extend(row["_id"] for row in rows)
        if len(rows) < page_size:
            return seen, pages
        last = rows[-1]["_id"]


def test_an_id_cursor_pull_returns_each_record_exactly_once(fx, sandbox):
    sandbox.simulate("fxiaoke", tenant=fx.tenant["tenant"], import_records={"AccountObj": 2000})

    seen, pages = pull_by_id_cursor(fx, "AccountObj")

    assert len(seen) == len(set(seen)) == 2010
    assert pages == 21


def test_a_watermark_pull_pages_ties_on_last_modified_time_by_id(fx, sandbox):
    # Imported records share one last_modified_time: GTE the watermark plus _id GT pages them.
    sandbox.simulate("fxiaoke", tenant=fx.tenant["tenant"], import_records={"AccountObj": 250})
    watermark = min(
        r["last_modified_time"] for r in fx.rows("AccountObj", [flt("name", "STARTWITH", "客户IMP")], limit=1)
    )
    orders = [{"fieldName": "last_modified_time", "isAsc": True}, {"fieldName": "_id", "isAsc": True}]

    seen, last = [], None
    while True:
        filters = [
            flt("last_modified_time", "GTE", str(watermark)),
            *([flt("_id", "GT", last)] if last else []),
        ]
        rows = fx.rows("AccountObj", filters, orders, limit=100)
        seen += [r["_id"] for r in rows]
        if len(rows) < 100:
            break
        last = rows[-1]["_id"]

    assert len(seen) == len(set(seen)) == 250


@pytest.mark.slow
def test_a_20000_record_cursor_pull_returns_every_record_once(fx, sandbox):
    # The platform's 100 calls per 20 s would make this a 40-second pull: the limit is not under test.
    sandbox.set_faults("fxiaoke", rate_limit=10_000)
    started = time.perf_counter()
    sandbox.simulate("fxiaoke", tenant=fx.tenant["tenant"], import_records={"AccountObj": 20_000})
    imported = time.perf_counter()

    seen, pages = pull_by_id_cursor(fx, "AccountObj")

    pulled = time.perf_counter()
    print(f"import {imported - started:.1f} s, pull of {pages} pages {pulled - imported:.1f} s")
    assert len(seen) == len(set(seen)) == 20_010
    assert pages == 201
