"""Two inputs people give the engine from the console: an edited payload to replay, unsaved rows to preview."""

import random

from syncjobs.engine import runs
from syncjobs.engine.runner import Runner
from syncjobs.models import MappingVersion, RecordStatus, SyncRecord, Trigger
from syncjobs.services import sync
from tests.syncjobs.engine.conftest import add_accounts, run_now


def test_a_run_carrying_an_edited_payload_writes_it_instead_of_mapping(customers, crm, erp):
    crm.add("AccountObj", "bad", {"account_no": "C0099", "name": ""})
    run_now(customers)
    assert SyncRecord.objects.get(source_id="bad").status == RecordStatus.FAILED
    replay = runs.create_run(customers, Trigger.RETRY, ids=["bad"])
    replay.options["payloads"] = {"bad": {"FNumber": "C0099", "FName": "Named by hand"}}
    replay.save(update_fields=["options"])

    Runner(replay.pk, wait=True, sleep=lambda s: None, rng=random.Random(1)).execute()

    written = next(d for d in erp.data("BD_Customer").values() if d["FNumber"] == "C0099")
    assert written == {"FNumber": "C0099", "FName": "Named by hand"}
    latest = SyncRecord.objects.filter(source_id="bad").order_by("-id").first()
    assert (latest.run_id, latest.status, latest.action) == (replay.pk, RecordStatus.SUCCEEDED, "create")
    assert latest.mapped_payload == {"FNumber": "C0099", "FName": "Named by hand"}


def test_other_records_of_a_replay_run_are_still_mapped(customers, crm, erp):
    add_accounts(crm, 2)
    replay = runs.create_run(customers, Trigger.RETRY, ids=["a1", "a2"])
    replay.options["payloads"] = {"a1": {"FNumber": "C0001", "FName": "Edited"}}
    replay.save(update_fields=["options"])

    Runner(replay.pk, wait=True, sleep=lambda s: None, rng=random.Random(1)).execute()

    names = sorted(d["FName"] for d in erp.data("BD_Customer").values())
    assert names == ["Account 2", "Edited"]


def test_a_dry_run_of_unsaved_rows_uses_them_and_stores_no_version(customers, crm):
    add_accounts(crm, 1)
    versions = MappingVersion.objects.count()
    rows = [
        {"target_path": "FNumber", "source_path": "account_no", "transform": "direct", "params": {}},
        {
            "target_path": "FName",
            "source_path": "",
            "transform": "template",
            "params": {"template": "{name}!"},
        },
    ]

    report = sync.dry_run(customers, ids=["a1"], rows=rows)

    assert report.version_number is None
    assert report.items[0].payload == {"FNumber": "C0001", "FName": "Account 1!"}
    assert MappingVersion.objects.count() == versions
