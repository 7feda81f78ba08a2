"""Paging through 5,000 rows, with the session expiring between two pages."""

import pytest

from tests.connectors.k3cloud.conftest import absolute, add_customers

pytestmark = pytest.mark.slow
ROWS = 5000


@pytest.fixture(scope="module")
def erp(sandbox_server):
    """A tenant holding exactly ROWS customers."""
    tenant = absolute(sandbox_server, sandbox_server.seed(size=10, seed=12, systems=["k3cloud"])["k3cloud"])
    add_customers(sandbox_server, tenant, ROWS - len(tenant["existing_customers"]))
    return tenant


def test_paging_reads_every_row_once_and_survives_a_lost_session(make_client, sandbox, call_log):
    client = make_client("password")
    rows = client.query("BD_Customer", ["FCUSTID", "FNumber", "FName"], order_string="FCUSTID ASC")

    ids = [next(rows)["FCUSTID"]]
    assert len(call_log("ExecuteBillQuery")) == 1  # one page asked for, not the whole result
    for row in rows:
        ids.append(row["FCUSTID"])
        if len(ids) == 3000:  # inside the second page: the next page needs a new session
            sandbox.expire_sessions("k3cloud")

    assert len(ids) == ROWS
    assert ids == sorted(set(ids))
    pages = call_log("ExecuteBillQuery")
    assert [c["outcome"] for c in pages] == ["ok", "ok", "session_lost", "ok"]
    assert [c["rows"] for c in pages if c["outcome"] == "ok"] == [2000, 2000, 1000]
    assert len(call_log("ValidateUser")) == 2


def test_bill_query_pages_the_same_way(make_client, call_log):
    client = make_client("password")

    numbers = [
        row["FNumber"] for row in client.bill_query("BD_Customer", "FNumber", order_string="FCUSTID ASC")
    ]

    assert len(numbers) == len(set(numbers)) == ROWS
    assert [c["rows"] for c in call_log("BillQuery")] == [2000, 2000, 1000]
