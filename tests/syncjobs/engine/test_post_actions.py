"""Post-actions in order with per-record resume, and the audited-document update rule."""

from connectors.errors import PermanentError, TransientError
from syncjobs.engine.dispatch import InlineDispatcher
from syncjobs.engine.runner import Runner
from syncjobs.models import CrossReference, RecordStatus, SyncRecord
from syncjobs.services import sync
from tests.syncjobs.engine.conftest import add_accounts, run_now


def audited_flow(flow, **options):
    flow.post_actions = [
        {"action": "submit"},
        {"action": "audit"},
        {"action": "allocate", "organisations": ["101"]},
    ]
    flow.options = {**flow.options, **options}
    flow.save()
    return flow


def actions(erp, number):
    return next(rec["actions"] for rec in erp.records["BD_Customer"].values() if rec["number"] == number)


def test_post_actions_run_in_order_once_per_batch_call(customers, crm, erp):
    audited_flow(customers)
    add_accounts(crm, 4)

    run_now(customers)

    assert actions(erp, "C0001") == ["submit", "audit", "allocate"]
    assert (erp.count("post:submit"), erp.count("post:audit"), erp.count("post:allocate")) == (2, 2, 2)
    assert CrossReference.objects.get(source_id="a1").post_actions_done == ["submit", "audit", "allocate"]


def test_a_failed_audit_is_resumed_by_the_next_run_without_saving_again(customers, crm, erp):
    audited_flow(customers)
    add_accounts(crm, 2)
    erp.fail("post:audit", "erp-1", PermanentError("审核流程未配置"))

    first = run_now(customers)

    failed = SyncRecord.objects.get(run=first, source_id="a1")
    assert failed.status == RecordStatus.FAILED and "audit" in failed.error_message
    assert failed.post_actions_done == ["submit"]
    writes = erp.count("write")

    (rerun,) = sync.rerun_records([failed.pk], dispatcher=InlineDispatcher())
    second = Runner(rerun.pk, wait=True, sleep=lambda seconds: None).execute()

    assert erp.count("write") == writes  # unchanged payload: no second save
    assert actions(erp, "C0001") == ["submit", "audit", "allocate"]
    assert SyncRecord.objects.get(run=second, source_id="a1").status == RecordStatus.SUCCEEDED
    failed.refresh_from_db()
    assert failed.status == RecordStatus.SUPERSEDED


def test_transient_post_action_errors_are_retried(customers, crm, erp):
    audited_flow(customers)
    add_accounts(crm, 1)
    erp.fail("post:submit", "erp-1", TransientError("busy"))

    run = run_now(customers)

    assert run.failed_count == 0 and actions(erp, "C0001") == ["submit", "audit", "allocate"]


def test_updating_an_audited_document_unaudits_saves_and_audits_again(customers, crm, erp):
    audited_flow(customers)
    add_accounts(crm, 1)
    run_now(customers)
    _rename(crm, "a1", "New name")

    run = run_now(customers)

    assert run.updated_count == 1 and run.failed_count == 0
    assert actions(erp, "C0001") == ["submit", "audit", "allocate", "unaudit", "submit", "audit"]
    assert erp.data("BD_Customer")["erp-1"]["FName"] == "New name"


def test_an_audited_document_is_not_changed_when_the_flow_says_fail(customers, crm, erp):
    audited_flow(customers, audited_update="fail")
    add_accounts(crm, 1)
    run_now(customers)
    _rename(crm, "a1", "New name")

    run = run_now(customers)

    failed = SyncRecord.objects.get(run=run)
    assert failed.status == RecordStatus.FAILED and failed.error_code == "audited"
    assert "C0001" in failed.error_message and "audited_update" in failed.error_message
    assert erp.data("BD_Customer")["erp-1"]["FName"] == "Account 1"


def test_a_document_audited_by_someone_else_is_unaudited_when_the_save_is_refused(customers, crm, erp):
    add_accounts(crm, 1)
    run_now(customers)
    erp.records["BD_Customer"]["erp-1"]["status"] = "audited"  # audited in the ERP by a person
    _rename(crm, "a1", "New name")

    run = run_now(customers)

    assert run.updated_count == 1
    assert erp.records["BD_Customer"]["erp-1"]["actions"] == ["unaudit", "submit", "audit"]


def _rename(crm, record_id, name):
    crm.records["AccountObj"][record_id]["data"]["name"] = name
    crm.records["AccountObj"][record_id]["modified_at"] = crm.tick()
