"""End to end over HTTP: customers CRM → ERP against both sandboxes."""

import math
import random

import pytest

from syncjobs.models import CrossReference, RecordStatus, RunStatus, SyncRecord
from syncjobs.services import sync
from tests.syncjobs.engine.scenarios import Hub


@pytest.fixture(autouse=True)
def fast_client_retries(settings):
    settings.INTEGRATION_HUB_RETRY_BASE_SECONDS = 0.01
    settings.INTEGRATION_HUB_RETRY_CAP_SECONDS = 0.05


@pytest.fixture
def hub(db, sandbox):
    sandbox.set_faults("fxiaoke", rate_limit=100000, token_limit_per_minute=1000)
    return Hub(sandbox, size=20)


def run(flow, **options):
    flow.refresh_from_db()
    return sync.run_now(flow, sleep=lambda s: None, rng=random.Random(1), **options)


def test_customers_are_created_adopted_and_audited_in_the_erp(hub):
    flow = hub.customers()
    existing = hub.erp_tenant["existing_customers"]

    result = run(flow)

    assert result.status == RunStatus.SUCCEEDED, result.message
    assert result.read_count == 20 and result.failed_count == 0
    customers = hub.records(hub.erp, "BD_Customer", ["FName", "FSOCIALCRECODE", "FDocumentStatus"])
    assert len(customers) == 20  # the seeded ERP customers were adopted, not duplicated
    assert {c["FDocumentStatus"] for c in customers.values()} == {"C"}
    adopted = CrossReference.objects.filter(target_number__in=[c["number"] for c in existing]).count()
    assert adopted == len(existing)


def test_a_run_explains_itself_with_counts_timings_calls_and_its_mapping_version(hub):
    flow = hub.customers()
    mark = hub.mark("k3cloud")

    result = run(flow)

    assert result.mapping_version.rows[0]["target_path"] == "FName"
    assert {"read", "plan", "write", "post_actions"} <= set(result.timings)
    erp_calls = result.api_calls[hub.erp.slug]
    saves = len(hub.calls("k3cloud", "BatchSave", after=mark))
    assert erp_calls["BatchSave"] == saves and erp_calls["Submit"] >= 1
    assert result.api_calls[hub.crm.slug]
    record = SyncRecord.objects.filter(run=result, action="create").first()
    assert record.source_snapshot["name"] and record.mapped_payload["FName"] == record.source_snapshot["name"]
    assert (
        record.attempts == 1
        and record.target_number
        and record.mapping_version_id == result.mapping_version_id
    )


def test_batch_saves_are_one_per_batch(hub):
    flow = hub.contacts(batch_size=4)
    mark = hub.mark("k3cloud")

    result = run(flow)

    saves = hub.calls("k3cloud", "BatchSave", after=mark)
    assert result.created_count == result.read_count > 8
    assert len(saves) == math.ceil(result.read_count / 4)
    assert not hub.calls("k3cloud", "Save", after=mark)


def test_a_second_run_makes_one_read_call_and_writes_nothing(hub):
    flow = hub.customers()
    run(flow)
    crm_mark, erp_mark = hub.mark("fxiaoke"), hub.mark("k3cloud")

    again = run(flow)

    assert (again.read_count, again.created_count, again.updated_count) == (0, 0, 0)
    crm_calls = [c["operation"] for c in hub.calls("fxiaoke", after=crm_mark)]
    assert len([op for op in crm_calls if "query" in op]) == 1
    assert hub.calls("k3cloud", after=erp_mark) == []


def test_a_mapping_failure_in_the_sandbox_names_record_field_and_reason(hub, sandbox):
    flow = hub.customers()
    make_bad = hub.records(hub.crm, "AccountObj", ["name", "account_no"])
    assert make_bad
    from syncjobs.adapters.clients import adapter_for

    adapter = adapter_for(hub.crm)
    record_id = next(iter(make_bad))
    adapter.update_fields("AccountObj", record_id, {"field_x2Tax__c": ""})
    adapter.client.close()

    result = run(flow)

    failed = SyncRecord.objects.get(run=result, status=RecordStatus.FAILED)
    assert failed.source_id == record_id and failed.error_field == "FSOCIALCRECODE"
    assert "field_x2Tax__c" in failed.error_message and "FSOCIALCRECODE" in failed.error_message
    assert (
        result.status == RunStatus.PARTIAL
        and result.created_count + result.updated_count + result.unchanged_count == 19
    )
