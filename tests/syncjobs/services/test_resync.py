"""Resyncs: scoped runs through the queue, and the offer made after a mapping version is saved."""

import json
import random
from datetime import UTC, date, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError

from syncjobs.engine import reader
from syncjobs.engine.dispatch import EXECUTE_RUN, InlineDispatcher
from syncjobs.engine.options import FlowOptions
from syncjobs.models import CrossReference, FieldMapping, RunStatus, SyncFlow, SyncRecord, SyncRun
from syncjobs.models.flow import record_mapping_version
from syncjobs.services import resync, sync
from tests.support.queue import empty_queue, waiting_tasks
from tests.syncjobs.console.sandbox_connectors import crm_connector, erp_connector
from tests.syncjobs.engine.conftest import add_accounts, run_now
from tests.syncjobs.engine.memory import T0
from tests.syncjobs.factories import make_flow, make_mapping


def map_a_new_field(flow):
    """The change of issue 19: a field mapped after the records were written; a new version."""
    make_mapping(flow, "FShortName", "name", position=9)
    return record_mapping_version(flow)[0]


def queued(callbacks, start):
    """Start a resync with the queue (after commit) and return its run and the tasks queued."""
    empty_queue()
    with callbacks(execute=True):
        run = start()
    return run, waiting_tasks()


def work(run, **context):
    """What a queue worker does with the queued task: execute the run."""
    return sync.execute_run(
        run.pk, dispatcher=InlineDispatcher(), sleep=lambda s: None, rng=random.Random(7), **context
    )


def short_names(erp):
    return {data["FNumber"]: data.get("FShortName") for data in erp.data("BD_Customer").values()}


@pytest.fixture
def written(customers, crm):
    add_accounts(crm, 4)
    run_now(customers)
    assert SyncRecord.objects.filter(status="succeeded").count() == 4
    return customers


def test_the_offer_counts_the_records_written_and_what_a_dry_run_would_change(written, erp):
    version = map_a_new_field(written)
    calls = len(erp.calls)

    offer = resync.offer_for(version)

    assert (offer.written, offer.checked, offer.would_change, offer.limited) == (4, 4, 4, False)
    assert offer.counts["unchanged"] == 0 and offer.problem == ""
    assert all(name is None for name in short_names(erp).values())  # the dry run wrote nothing
    assert not any(op == "write" for op, _obj in erp.calls[calls:])


def test_the_offer_dry_runs_only_the_first_records_of_a_large_flow(written):
    offer = resync.offer_for(map_a_new_field(written), sample=3)

    assert (offer.written, offer.checked, offer.would_change, offer.limited) == (4, 3, 3, True)


def test_no_offer_when_a_version_changes_only_a_note(written):
    FieldMapping.objects.filter(flow=written, target_path="FName").update(note="the account's name")
    version, created = record_mapping_version(written)

    assert created and not resync.worth_offering(version) and resync.offer_for(version) is None


def test_no_offer_before_the_flow_has_written_anything(customers):
    version = map_a_new_field(customers)

    assert not resync.worth_offering(version) and resync.offer_for(version) is None


def test_no_offer_for_a_version_a_newer_one_replaced(written):
    older = map_a_new_field(written)
    make_mapping(written, "FTEL", "tel", position=10)
    record_mapping_version(written)

    assert resync.offer_for(older) is None


def test_the_written_records_are_resynced_through_the_queue_and_reach_every_record(
    written, erp, django_capture_on_commit_callbacks
):
    map_a_new_field(written)

    run, tasks = queued(django_capture_on_commit_callbacks, lambda: resync.resync_written(written))

    assert tasks == [(EXECUTE_RUN, (run.pk,))] and run.status == RunStatus.QUEUED  # nothing ran here
    assert sorted(run.options["ids"]) == ["a1", "a2", "a3", "a4"]
    assert work(run).status == RunStatus.SUCCEEDED
    assert short_names(erp) == {f"C{i:04d}": f"Account {i}" for i in range(1, 5)}
    assert SyncRecord.objects.filter(run=run, action="update").count() == 4


def test_only_the_records_the_flow_wrote_are_counted_not_a_create_in_flight(written):
    claim = CrossReference.objects.filter(flow=written).first()
    CrossReference.objects.filter(pk=claim.pk).update(target_id="")

    assert len(resync.written_ids(written)) == 3 and claim.source_id not in resync.written_ids(written)


def test_all_records_is_a_full_run_that_also_rewrites_unchanged_sources(
    written, erp, django_capture_on_commit_callbacks
):
    map_a_new_field(written)
    scope = resync.scope_from(written, resync.ALL)

    run, tasks = queued(django_capture_on_commit_callbacks, lambda: resync.start_resync(written, scope))

    assert run.options == {"full": True} and tasks == [(EXECUTE_RUN, (run.pk,))]
    work(run)
    assert set(short_names(erp).values()) == {f"Account {i}" for i in range(1, 5)}


def test_changed_since_reads_from_that_day_and_leaves_the_watermark(
    customers, crm, erp, django_capture_on_commit_callbacks
):
    customers.options = {**customers.options, "time_zone": "Asia/Shanghai"}
    customers.save()
    crm.add("AccountObj", "old", {"account_no": "C0001", "name": "Old"}, modified_at=T0 - timedelta(days=3))
    crm.add("AccountObj", "new", {"account_no": "C0002", "name": "New"}, modified_at=T0 + timedelta(hours=2))
    run_now(customers)
    watermark = SyncFlow.objects.get(pk=customers.pk).watermark
    map_a_new_field(customers)
    scope = resync.scope_from(customers, resync.SINCE, since=date(2026, 9, 1))

    run, _tasks = queued(django_capture_on_commit_callbacks, lambda: resync.start_resync(customers, scope))
    work(run)

    # 1 September in the flow's time zone (Shanghai, 8 hours ahead): the old account is not read.
    assert run.options["scope"] == {"since": "2026-09-01T00:00:00+08:00"}
    assert crm.since[-1] == datetime(2026, 8, 31, 16, tzinfo=UTC)
    assert short_names(erp) == {"C0001": None, "C0002": "New"}
    assert SyncFlow.objects.get(pk=customers.pk).watermark == watermark


def test_a_scoped_run_does_not_count_as_the_last_read_of_the_whole_source(
    customers, crm, django_capture_on_commit_callbacks
):
    add_accounts(crm, 3)
    run_now(customers, clock=lambda: T0 + timedelta(seconds=60))  # read within the overlap
    flow = SyncFlow.objects.get(pk=customers.pk)
    options = FlowOptions.of(flow)
    overlapping = flow.watermark - timedelta(seconds=options.overlap_seconds)
    assert reader.since_for(flow, options) == overlapping
    scope = resync.scope_from(flow, resync.SINCE, since=date(2026, 9, 1))

    run, _tasks = queued(django_capture_on_commit_callbacks, lambda: resync.start_resync(flow, scope))
    work(run, clock=lambda: T0 + timedelta(days=1))

    # Only a read of the whole source a day later would vouch for every record up to the watermark.
    assert SyncRun.objects.get(pk=run.pk).status == RunStatus.SUCCEEDED
    assert reader.since_for(SyncFlow.objects.get(pk=flow.pk), options) == overlapping


def test_a_scoped_run_is_never_joined_by_a_later_full_run(written, django_capture_on_commit_callbacks):
    scope = resync.scope_from(written, resync.SINCE, since=date(2026, 9, 1))
    with django_capture_on_commit_callbacks(execute=False):
        scoped = resync.start_resync(written, scope)
        full = resync.start_resync(written, resync.scope_from(written, resync.ALL))

    assert full.pk != scoped.pk and full.options == {"full": True}


def test_ids_may_be_given_as_numbers_the_flow_wrote(written, django_capture_on_commit_callbacks):
    scope = resync.scope_from(written, resync.IDS, ids="C0002, a3\nunknown-7")

    run, _tasks = queued(django_capture_on_commit_callbacks, lambda: resync.start_resync(written, scope))

    assert run.options == {"ids": ["a2", "a3", "unknown-7"]}


@pytest.mark.parametrize(
    ("kind", "values", "field"),
    [
        (resync.SINCE, {}, "since"),
        (resync.FILTER, {"source_filter": "  "}, "source_filter"),
        (resync.FILTER, {"source_filter": "FName like 'A%'"}, "source_filter"),  # a CRM source takes JSON
        (resync.FILTER, {"source_filter": "[1, 2]"}, "source_filter"),
        (resync.IDS, {"ids": " ,\n"}, "ids"),
        ("everything", {}, "scope"),
    ],
)
def test_a_scope_that_cannot_be_used_names_its_field(customers, kind, values, field):
    with pytest.raises(ValidationError) as raised:
        resync.scope_from(customers, kind, **values)

    assert list(raised.value.message_dict) == [field]


# --- a source filter, over HTTP: the CRM sandbox applies it ---------------------------------
@pytest.fixture
def sandbox_customers(transactional_db, sandbox):
    tenants = sandbox.seed(size=8, seed=913)
    flow = make_flow(
        "sandbox-customers",
        source=crm_connector(sandbox, tenants["fxiaoke"]),
        target=erp_connector(sandbox, tenants["k3cloud"]),
        options={"parallel_batches": 1, "retry_base_seconds": 0, "retry_cap_seconds": 0},
    )
    make_mapping(flow, "FName", "name", required=True, position=10)
    run_now(flow)
    return flow


def test_a_source_filter_resyncs_only_the_records_it_matches(
    sandbox_customers, django_capture_on_commit_callbacks
):
    flow = sandbox_customers
    snapshots = list(
        SyncRecord.objects.filter(flow=flow, status="succeeded").values_list("source_snapshot", flat=True)
    )
    chosen = snapshots[3]["name"]
    expected = sorted(s["_id"] for s in snapshots if s["name"] == chosen)
    assert 0 < len(expected) < len(snapshots)
    make_mapping(flow, "FTEL", "tel", position=20)
    record_mapping_version(flow)
    text = json.dumps(
        [{"field_name": "name", "operator": "EQ", "field_values": [chosen]}], ensure_ascii=False
    )
    scope = resync.scope_from(flow, resync.FILTER, source_filter=text)

    run, _tasks = queued(django_capture_on_commit_callbacks, lambda: resync.start_resync(flow, scope))
    run = work(run)

    written = SyncRecord.objects.filter(run=run)
    assert sorted(written.values_list("source_id", flat=True)) == expected
    assert set(written.values_list("action", flat=True)) == {"update"}
    assert run.options["scope"]["source_filter"][0]["field_values"] == [chosen]
    assert SyncRun.objects.get(pk=run.pk).status == RunStatus.SUCCEEDED
