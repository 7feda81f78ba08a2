"""Dry runs: per-field differences, nothing written anywhere, counts equal to the next real run."""

from syncjobs.models import CrossReference, SyncRecord, SyncRun, WriteBack
from syncjobs.services import sync
from tests.syncjobs.engine.conftest import add_accounts, run_now


def snapshot(*stores):
    return [({obj: dict(records) for obj, records in store.records.items()}) for store in stores]


def test_a_dry_run_writes_nothing_and_predicts_the_next_run(customers, crm, erp):
    add_accounts(crm, 4)
    run_now(customers)
    crm.records["AccountObj"]["a1"]["data"]["name"] = "Renamed"
    crm.records["AccountObj"]["a1"]["modified_at"] = crm.tick()
    crm.records["AccountObj"]["a2"]["modified_at"] = crm.tick()
    add_accounts(crm, 2, start=5)
    crm.add("AccountObj", "bad", {"account_no": "C0099", "name": ""})
    erp.add("BD_Customer", "pre-6", {"FNumber": "C0006", "FName": "Account 6"}, number="C0006")
    before = (
        snapshot(crm, erp),
        CrossReference.objects.count(),
        SyncRecord.objects.count(),
        SyncRun.objects.count(),
    )
    writes = erp.count("write")

    report = sync.dry_run(customers)

    after = (
        snapshot(crm, erp),
        CrossReference.objects.count(),
        SyncRecord.objects.count(),
        SyncRun.objects.count(),
    )
    assert after == before and erp.count("write") == writes and not WriteBack.objects.exists()
    assert report.counts == {"create": 1, "update": 1, "unchanged": 2, "skip": 0, "failed": 1, "waiting": 0}
    renamed = next(item for item in report.items if item.source_id == "a1")
    assert renamed.changes == [("FName", "Account 1", "Renamed")]
    created = next(item for item in report.items if item.source_id == "a5")
    assert ("FNumber", None, "C0005") in created.changes

    run = run_now(customers)

    assert (run.created_count, run.updated_count, run.unchanged_count, run.failed_count) == (1, 1, 2, 1)


def test_a_dry_run_reports_at_most_its_limit(customers, crm):
    add_accounts(crm, 7)

    report = sync.dry_run(customers, limit=5)

    assert report.read == 5 and report.limited
