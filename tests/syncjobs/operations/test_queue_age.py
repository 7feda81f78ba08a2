"""The age of the oldest waiting task, read through whichever broker runs: the ORM broker's
rows, or the packages in Redis's list (this file runs again with Redis in CI)."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django_q.tasks import async_task

from syncjobs.operations.queue import oldest_queued_age, oldest_queued_at
from tests.support.queue import empty_queue

pytestmark = [pytest.mark.broker, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def empty_broker():
    empty_queue()  # Redis keeps what earlier tests queued
    yield
    empty_queue()


def test_an_empty_queue_has_no_age():
    assert oldest_queued_at() is None
    assert oldest_queued_age() == 0.0


def test_the_oldest_waiting_task_gives_the_age():
    before = timezone.now()
    async_task("math.floor", 1.5)
    async_task("math.floor", 2.5)
    after = timezone.now()

    oldest = oldest_queued_at(after)
    later = after + timedelta(minutes=12)

    assert oldest is not None and before <= oldest <= after
    assert 720 <= oldest_queued_age(later) <= 720 + (after - before).total_seconds()
