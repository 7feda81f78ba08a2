"""Reliability 6: malformed records among good ones — the good ones sync, each bad one fails
alone with a message naming the record, the field and the reason.

The issue's figure is 1,000 among 10,000; this runs the same ratio at a fifth of the size
(200 among 2,000) to keep CI within its time (``tests/syncjobs/engine/test_sandbox_volume.py``
runs the full size). A salesperson edits the remark of 10% of the accounts; the flow's
value map knows only the imported remarks, so exactly those records fail.
"""

import random

import pytest

from syncjobs.models import RecordStatus, RunStatus, SyncRecord
from syncjobs.services import sync
from tests.reliability.support import Site
from tests.syncjobs.engine.scenarios import FAST
from tests.syncjobs.factories import make_flow, make_mapping, make_value_map

pytestmark = pytest.mark.reliability

TOTAL, SEEDED, MALFORMED = 2_000, 10, 200


def test_malformed_records_fail_one_by_one_with_record_field_and_reason(db, sandbox):
    sandbox.set_faults("fxiaoke", rate_limit=100000, token_limit_per_minute=1000)
    site = Site(sandbox, size=SEEDED, seed=31)
    corp = site.crm_tenant["corp_id"]
    sandbox.simulate("fxiaoke", tenant=corp, import_records={"AccountObj": TOTAL - SEEDED}, approve=False)
    assert sandbox.simulate("fxiaoke", tenant=corp, edit=MALFORMED / TOTAL)[corp]["edited"] == MALFORMED
    make_value_map(
        "import-remarks", {f"备注{n}": f"备注{n}" for n in range(SEEDED + 1, TOTAL + 1)}, "Imported remarks"
    )
    flow = make_flow(
        "imported-customers",
        source=site.crm,
        target=site.erp,
        source_object="AccountObj",
        target_object="BD_Customer",
        batch_size=200,
        options={**FAST, "page_size": 1000},
    )
    make_mapping(flow, "FName", "name", required=True, position=1)
    make_mapping(flow, "FDescription", "remark", "value_map", {"map": "import-remarks"}, position=2)
    make_mapping(flow, "FTEL", "tel", position=3)

    run = sync.run_now(flow, sleep=lambda seconds: None, rng=random.Random(1))

    assert run.status == RunStatus.PARTIAL  # finished, not stopped by the bad records
    assert (run.read_count, run.created_count, run.failed_count) == (TOTAL, TOTAL - MALFORMED, MALFORMED)
    failures = list(SyncRecord.objects.filter(run=run, status=RecordStatus.FAILED))
    assert len(failures) == MALFORMED and len({f.source_id for f in failures}) == MALFORMED
    for failure in failures:
        assert failure.error_field == "FDescription"
        assert failure.source_number and failure.source_number in failure.error_message  # the record
        assert "FDescription" in failure.error_message  # the field
        assert "import-remarks" in failure.error_message and "客户资料已更新" in failure.error_message  # why
        assert "Traceback" not in failure.error_message
    names = site.records(site.erp, "BD_Customer", ["FName"])
    assert len({row["FName"] for row in names.values()} & {f.source_number for f in failures}) == 0
    assert len(names) == TOTAL - MALFORMED + len(site.erp_tenant["existing_customers"])
