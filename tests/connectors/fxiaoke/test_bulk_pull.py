"""A 20,000-record pull over HTTP: cursor paging past the 10,000 offset cap returns every
record exactly once. Records are bulk-imported through the sandbox's simulation hook.

(Sorted pulls that cross the offset cap are checked against an in-memory stand-in with the
same paging rules in ``test_query_plan.py``: over HTTP they would cost ~300 calls.)
"""

import pytest

pytestmark = pytest.mark.slow

IMPORTED = 20000
SEEDED = 8  # the accounts every seeded tenant starts with
QUERY = "/cgi/crm/v2/data/query"


def test_a_full_pull_returns_every_record_exactly_once(sandbox, tenant, make_client):
    sandbox.simulate("fxiaoke", tenant=tenant["tenant"], import_records={"AccountObj": IMPORTED})
    # Limits out of the way: this test is about paging, and the pull costs ~200 calls.
    sandbox.set_faults("fxiaoke", rate_limit=100000)
    client = make_client(rate_limit=100000)

    ids = [row["_id"] for row in client.query("AccountObj", field_projection=["name"])]

    assert len(ids) == len(set(ids)) == IMPORTED + SEEDED
    assert ids == sorted(ids)
    calls = [c for c in sandbox.calls(system="fxiaoke", tenant=tenant["tenant"]) if c["operation"] == QUERY]
    assert len(calls) == (IMPORTED + SEEDED) // 100 + 1
    assert {c["outcome"] for c in calls} == {"ok"}
    assert max(c["rows"] for c in calls) == 100
