"""1,000 malformed records among 10,000: the rest sync, each failure says record, field and reason."""

import random

import pytest

from syncjobs.models import RecordStatus, RunStatus, SyncRecord
from syncjobs.services import sync
from tests.syncjobs.engine.scenarios import FAST, Hub
from tests.syncjobs.factories import make_flow, make_mapping, make_value_map

TOTAL, SEEDED, MALFORMED = 10_000, 10, 1_000


@pytest.fixture(autouse=True)
def fast_client_retries(settings):
    settings.INTEGRATION_HUB_RETRY_BASE_SECONDS = 0.01
    settings.INTEGRATION_HUB_RETRY_CAP_SECONDS = 0.05


@pytest.mark.reliability
@pytest.mark.slow
def test_one_thousand_malformed_among_ten_thousand_leave_nine_thousand_synced(db, sandbox):
    sandbox.set_faults("fxiaoke", rate_limit=100000, token_limit_per_minute=1000)
    hub = Hub(sandbox, size=SEEDED)
    corp = hub.crm_tenant["corp_id"]
    sandbox.simulate("fxiaoke", tenant=corp, import_records={"AccountObj": TOTAL - SEEDED}, approve=False)
    # A salesperson edits the remark of 10% of the accounts; the flow's value map knows only
    # the imported remarks, so exactly those records fail, each with its own message.
    assert sandbox.simulate("fxiaoke", tenant=corp, edit=MALFORMED / TOTAL)[corp]["edited"] == MALFORMED
    make_value_map("remarks", {f"备注{n}": f"备注{n}" for n in range(SEEDED + 1, TOTAL + 1)}, "Remarks")
    flow = make_flow(
        "bulk-customers",
        source=hub.crm,
        target=hub.erp,
        source_object="AccountObj",
        target_object="BD_Customer",
        batch_size=500,
        options={**FAST, "page_size": 1000},
    )
    make_mapping(flow, "FName", "name", required=True, position=1)
    make_mapping(flow, "FDescription", "remark", "value_map", {"map": "remarks"}, position=2)
    make_mapping(flow, "FTEL", "tel", position=3)

    run = sync.run_now(flow, sleep=lambda s: None, rng=random.Random(1))

    assert run.status == RunStatus.PARTIAL
    assert (run.read_count, run.created_count, run.failed_count) == (TOTAL, TOTAL - MALFORMED, MALFORMED)
    failures = SyncRecord.objects.filter(run=run, status=RecordStatus.FAILED)
    assert failures.count() == MALFORMED
    assert set(failures.values_list("error_field", flat=True)) == {"FDescription"}
    sample = list(failures.order_by("id"))[::20]
    for record in sample:
        assert record.source_number and record.source_number in record.error_message
        assert "FDescription" in record.error_message and "remarks" in record.error_message
        assert "客户资料已更新" in record.error_message
    saves = hub.calls("k3cloud", "BatchSave")
    assert len(saves) == TOTAL // 500
