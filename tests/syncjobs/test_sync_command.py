"""``manage.py sync``: progress, summary, failures, dry run and the exit status."""

import io
import socket

import pytest
from django.core.management import CommandError, call_command

from syncjobs.models import SyncRecord, SyncRun
from tests.syncjobs.engine.conftest import add_accounts, connectors, crm, customers, erp  # noqa: F401


def sync(*args):
    out = io.StringIO()
    try:
        call_command("sync", *args, stdout=out)
        status = 0
    except SystemExit as exit_:
        status = exit_.code
    return status, out.getvalue()


def test_it_runs_the_flow_and_prints_progress_and_a_summary(customers, crm, erp):  # noqa: F811
    add_accounts(crm, 4)

    status, output = sync("customers")

    assert status == 0
    assert "customers" in output and "4/4" in output
    progress, summary = [line.split() for line in output.splitlines() if line.strip().startswith("customers")]
    assert progress[1:3] == ["[########################]", "4/4"] and progress[3].endswith("/s")
    # status, read, created, updated, unchanged, skipped, failed, waiting
    assert summary[1:9] == ["Succeeded", "4", "4", "0", "0", "0", "0", "0"]
    assert len(erp.data("BD_Customer")) == 4


def test_it_exits_with_status_one_and_explains_when_records_failed(customers, crm, erp):  # noqa: F811
    add_accounts(crm, 2)
    crm.add("AccountObj", "bad", {"account_no": "C0099", "name": ""})

    status, output = sync("customers")

    assert status == 1
    assert "Records that failed, and why" in output and "C0099" in output and "FName" in output


def test_a_dry_run_prints_each_change_and_writes_nothing(customers, crm, erp):  # noqa: F811
    add_accounts(crm, 2)

    status, output = sync("customers", "--dry-run")

    assert status == 0 and erp.data("BD_Customer") == {}
    assert not SyncRun.objects.exists() and not SyncRecord.objects.exists()
    assert "CREATE" in output and "FNumber: — → C0001" in output
    assert "2 to create" in output and "Nothing was written" in output


def test_it_syncs_exactly_the_given_ids_and_a_full_resync(customers, crm, erp):  # noqa: F811
    add_accounts(crm, 3)

    sync("customers", "--ids", "a1", "a3")
    assert sorted(d["FNumber"] for d in erp.data("BD_Customer").values()) == ["C0001", "C0003"]
    status, output = sync("customers", "--full")
    assert status == 0 and SyncRun.objects.latest("id").unchanged_count == 2


def test_an_unknown_flow_is_refused_naming_the_known_ones(customers):  # noqa: F811
    with pytest.raises(CommandError, match="customers"):
        call_command("sync", "nope", stdout=io.StringIO())


def test_ids_the_source_does_not_have_are_named_and_the_exit_status_is_one(customers, crm, erp):  # noqa: F811
    add_accounts(crm, 2)

    status, output = sync("customers", "--ids", "a1", "ghost-1", "ghost-2")

    assert status == 1
    assert "The source has no records with these ids: ghost-1, ghost-2." in output
    assert [d["FNumber"] for d in erp.data("BD_Customer").values()] == ["C0001"]


def test_a_dry_run_names_ids_the_source_does_not_have(customers, crm, erp):  # noqa: F811
    add_accounts(crm, 1)
    status, output = sync("customers", "--dry-run", "--ids", "a1", "ghost")
    assert status == 1 and "The source has no records with these ids: ghost." in output


def test_an_unreachable_redis_is_named_before_anything_runs(customers, settings):  # noqa: F811
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # closed again when the block ends: nothing listens there
    settings.REDIS_URL = f"redis://127.0.0.1:{port}/0"

    with pytest.raises(CommandError, match=f"Cannot reach Redis at 127.0.0.1:{port} \\(REDIS_URL\\)"):
        call_command("sync", "customers", stdout=io.StringIO())
    assert not SyncRun.objects.exists()
