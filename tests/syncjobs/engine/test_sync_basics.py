"""Create, update, unchanged: the cross-reference and the fingerprint decide, per record."""

from syncjobs.models import CrossReference, RecordStatus, RunStatus, SyncRecord
from tests.syncjobs.engine.conftest import add_accounts, run_now


def test_it_creates_every_record_once_and_links_it(customers, crm, erp):
    add_accounts(crm, 7)

    run = run_now(customers)

    assert run.status == RunStatus.SUCCEEDED
    assert (run.read_count, run.created_count, run.failed_count) == (7, 7, 0)
    assert sorted(d["FNumber"] for d in erp.data("BD_Customer").values()) == [
        f"C{i:04d}" for i in range(1, 8)
    ]
    assert CrossReference.objects.exclude(target_id="").count() == 7
    assert erp.count("write") == 3  # ⌈7 ÷ 3⌉ batches, one write call each


def test_a_second_run_reads_nothing_new_and_writes_nothing(customers, crm, erp):
    add_accounts(crm, 5)
    run_now(customers)
    writes = erp.count("write")

    second = run_now(customers)

    assert (second.read_count, second.created_count, second.updated_count) == (0, 0, 0)
    assert erp.count("write") == writes
    assert crm.count("read") >= 1


def test_a_changed_record_is_updated_and_an_unchanged_one_is_not(customers, crm, erp):
    add_accounts(crm, 3)
    run_now(customers)
    crm.records["AccountObj"]["a2"]["data"]["name"] = "Renamed"
    crm.records["AccountObj"]["a2"]["modified_at"] = crm.tick()
    crm.records["AccountObj"]["a3"]["modified_at"] = crm.tick()  # touched, same content

    run = run_now(customers)

    assert (run.read_count, run.updated_count, run.unchanged_count) == (2, 1, 1)
    names = {d["FNumber"]: d["FName"] for d in erp.data("BD_Customer").values()}
    assert names["C0002"] == "Renamed"
    logged = SyncRecord.objects.filter(run=run).order_by("source_id")
    assert [(r.source_id, r.action) for r in logged] == [("a2", "update"), ("a3", "unchanged")]


def test_a_mapping_failure_names_the_record_the_field_and_the_reason(customers, crm, erp):
    crm.add("AccountObj", "bad", {"account_no": "C0099", "name": ""})
    add_accounts(crm, 2)

    run = run_now(customers)

    assert run.status == RunStatus.PARTIAL
    failed = SyncRecord.objects.get(run=run, status=RecordStatus.FAILED)
    assert failed.error_field == "FName"
    assert "C0099" in failed.error_message or "bad" in failed.error_message
    assert "FName" in failed.error_message and "name" in failed.error_message
    assert "Traceback" not in failed.error_message
    assert len(erp.data("BD_Customer")) == 2
