"""Retention: settled record logs go after the configured days; failures stay until settled."""

from datetime import timedelta

import pytest
from django.utils import timezone

from syncjobs.models import RecordStatus, SyncRecord, WebhookEvent
from syncjobs.models.intervention import RecordIntervention
from syncjobs.operations import retention, tasks
from tests.syncjobs.factories import make_flow, make_records, make_run

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def thirty_days(settings):
    settings.INTEGRATION_HUB_RECORD_RETENTION_DAYS = 30


def records(status, age_days, count=2):
    run = make_run(make_flow(f"flow-{status}-{age_days}"))
    make_records(run, count, status=status)
    SyncRecord.objects.filter(run=run).update(created_at=timezone.now() - timedelta(days=age_days))
    return run


def remaining():
    return sorted(SyncRecord.objects.values_list("status", flat=True))


def test_old_settled_logs_are_deleted_and_failures_kept():
    for status in (RecordStatus.SUCCEEDED, RecordStatus.SUPERSEDED, RecordStatus.IGNORED):
        records(status, age_days=31)
    for status in (RecordStatus.FAILED, RecordStatus.DEAD, RecordStatus.WAITING):
        records(status, age_days=90)
    records(RecordStatus.SUCCEEDED, age_days=29)

    pruned = retention.prune()

    assert pruned.records == 6
    assert remaining() == sorted(["dead"] * 2 + ["failed"] * 2 + ["waiting"] * 2 + ["succeeded"] * 2)


def test_the_number_of_days_is_a_setting(settings):
    records(RecordStatus.SUCCEEDED, age_days=8)
    settings.INTEGRATION_HUB_RECORD_RETENTION_DAYS = 7

    assert tasks.prune_records() == {"records": 2, "webhook_events": 0}


def test_deleting_many_logs_goes_in_slices():
    records(RecordStatus.SUCCEEDED, age_days=40, count=10)

    assert retention.prune(batch=3).records == 10  # four slices of at most three
    assert not SyncRecord.objects.exists()


def test_a_failure_settled_by_a_later_attempt_goes_once_old():
    run = records(RecordStatus.FAILED, age_days=45)
    SyncRecord.objects.filter(run=run).update(status=RecordStatus.SUPERSEDED)

    assert retention.prune().records == 2


def test_a_record_someone_intervened_on_is_kept():
    run = records(RecordStatus.RESOLVED, age_days=60)
    record = SyncRecord.objects.filter(run=run).first()
    RecordIntervention.objects.create(
        record=record, flow=record.flow, source_id=record.source_id, kind="resolve"
    )

    assert retention.prune().records == 1
    assert list(SyncRecord.objects.all()) == [record]


def test_old_webhook_events_go_too():
    WebhookEvent.objects.create(event_id="old", received_at=timezone.now() - timedelta(days=31))
    WebhookEvent.objects.create(event_id="recent")

    assert retention.prune().webhook_events == 1
    assert list(WebhookEvent.objects.values_list("event_id", flat=True)) == ["recent"]
