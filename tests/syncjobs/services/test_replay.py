"""Replaying one record with a payload edited by hand: the edit is written, the original kept."""

import random

import pytest
from django.core.exceptions import ValidationError

from syncjobs.engine.dispatch import InlineDispatcher
from syncjobs.models import InterventionKind, RecordStatus, SyncRecord, Trigger
from syncjobs.services import sync
from syncjobs.services.replay import replay_record, starting_payload
from tests.syncjobs.engine.conftest import add_accounts, run_now

pytestmark = pytest.mark.django_db


def execute(run, dispatcher):
    return sync.execute_run(run.pk, dispatcher=dispatcher, sleep=lambda s: None, rng=random.Random(1))


@pytest.fixture
def failed(customers, crm):
    """a1 maps; a2 has an empty name and a credit limit that is no number: its mapping fails twice."""
    add_accounts(crm, 1)
    crm.add("AccountObj", "a2", {"account_no": "C0002", "name": "", "credit": "x"})
    run_now(customers)
    return SyncRecord.objects.get(source_id="a2")


def test_a_record_whose_mapping_failed_starts_from_what_still_maps(failed):
    assert failed.status == RecordStatus.FAILED and failed.mapped_payload == {}

    assert starting_payload(failed) == {"FNumber": "C0002"}


def test_a_mapped_record_starts_from_its_payload(customers, crm, erp):
    add_accounts(crm, 1)
    run_now(customers)
    record = SyncRecord.objects.get(source_id="a1")

    assert starting_payload(record) == {"FNumber": "C0001", "FName": "Account 1"}


def test_replaying_writes_the_edited_payload_and_keeps_the_original(failed, erp, integration_admin):
    edited = {"FNumber": "C0002", "FName": "Named by hand", "FCreditLimit": "0.00"}
    dispatcher = InlineDispatcher()

    intervention = replay_record(failed, edited, integration_admin, "name was missing in the CRM", dispatcher)

    assert intervention.kind == InterventionKind.REPLAY
    assert (intervention.user, intervention.reason, intervention.previous_status) == (
        integration_admin,
        "name was missing in the CRM",
        "failed",
    )
    assert intervention.original_payload == {"FNumber": "C0002"}
    assert intervention.edited_payload == edited
    assert intervention.changes == [["FName", None, "Named by hand"], ["FCreditLimit", None, "0.00"]]
    run = intervention.run
    assert (run.trigger, run.requested_by, run.options["ids"]) == (Trigger.RETRY, integration_admin, ["a2"])
    assert dispatcher.take_runs() == [run.pk]

    execute(run, dispatcher)

    written = next(d for d in erp.data("BD_Customer").values() if d["FNumber"] == "C0002")
    assert written == edited
    statuses = list(
        SyncRecord.objects.filter(source_id="a2").order_by("id").values_list("status", "mapped_payload")
    )
    assert statuses == [("superseded", {}), ("succeeded", edited)]


def test_only_open_records_are_replayed(customers, crm, integration_admin):
    add_accounts(crm, 1)
    run_now(customers)
    done = SyncRecord.objects.get(source_id="a1")

    with pytest.raises(ValidationError, match="only failed, dead or waiting records are replayed"):
        replay_record(done, {"FNumber": "C0001"}, integration_admin, dispatcher=InlineDispatcher())


def test_an_empty_payload_is_refused(failed, integration_admin):
    with pytest.raises(ValidationError, match="empty"):
        replay_record(failed, {}, integration_admin, dispatcher=InlineDispatcher())
    assert not failed.interventions.exists()
