"""A bad value fails its own record, named, and never the records sharing its batch."""

from syncjobs.mapping.targets import DECIMAL, TEXT, TargetField
from syncjobs.models import RecordStatus, RunStatus, SyncRecord
from tests.syncjobs.engine.conftest import add_accounts, run_now
from tests.syncjobs.factories import make_mapping


def failed(run):
    return {r.source_id: r for r in SyncRecord.objects.filter(run=run, status=RecordStatus.FAILED)}


def test_a_date_past_the_calendar_fails_its_record_only(customers, crm, erp):
    make_mapping(customers, "FCreateDate", "signed", "datetime", {"output_format": "%Y-%m-%d"}, position=4)
    add_accounts(crm, 5, signed=1714492800000)
    crm.records["AccountObj"]["a3"]["data"]["signed"] = 99999999999999999

    run = run_now(customers)

    assert (run.status, run.created_count, run.failed_count) == (RunStatus.PARTIAL, 4, 1)
    (bad,) = failed(run).values()
    assert bad.source_id == "a3" and bad.error_field == "FCreateDate"
    assert "99999999999999999" in bad.error_message and "C0003" in bad.error_message
    assert sorted(d["FNumber"] for d in erp.data("BD_Customer").values()) == [
        "C0001",
        "C0002",
        "C0004",
        "C0005",
    ]


def test_a_value_the_target_field_cannot_hold_fails_before_the_write(customers, crm, erp):
    erp.fields["BD_Customer"] = {"fname": TargetField(TEXT), "fcreditlimit": TargetField(DECIMAL, 23, 10)}
    add_accounts(crm, 3, credit="100")
    crm.records["AccountObj"]["a2"]["data"]["credit"] = "1e309"
    crm.records["AccountObj"]["a3"]["data"]["name"] = {"x": 1}

    run = run_now(customers)

    bad = failed(run)
    assert set(bad) == {"a2", "a3"} and run.created_count == 1
    assert bad["a2"].error_field == "FCreditLimit" and "at most 13" in bad["a2"].error_message
    assert bad["a3"].error_field == "FName" and '{"x": 1}' in bad["a3"].error_message
    assert erp.count("write") == 1 and list(erp.data("BD_Customer").values())[0]["FNumber"] == "C0001"


def test_a_number_for_a_text_field_is_written_as_text(customers, crm, erp):
    erp.fields["BD_Customer"] = {"fname": TargetField(TEXT)}
    crm.add("AccountObj", "n1", {"account_no": "C0100", "name": 4711})

    run = run_now(customers)

    assert run.created_count == 1
    assert [d["FName"] for d in erp.data("BD_Customer").values()] == ["4711"]


def test_a_fault_of_the_whole_batch_says_it_is_batch_wide(customers, crm, erp):
    add_accounts(crm, 2)
    erp.fail_call("find", RuntimeError("socket pool exhausted"))  # matching serves the batch

    run = run_now(customers)

    assert run.failed_count == 2
    for record in failed(run).values():
        assert "whole batch" in record.error_message and "socket pool exhausted" in record.error_message
