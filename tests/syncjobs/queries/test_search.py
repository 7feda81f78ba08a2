"""The admin's search boxes."""

import pytest

from syncjobs.models import SyncRecord
from syncjobs.queries.search import search_records
from tests.syncjobs.factories import make_flow, make_records, make_run

pytestmark = pytest.mark.django_db


def test_search_records_ignores_error_text_of_successful_records():
    run = make_run(make_flow())
    make_records(run, 2, error_message="warning: slow")
    make_records(run, 1, status="failed", error_message="slow server refused")
    found = search_records(SyncRecord.objects.all(), "slow")
    assert [r.status for r in found] == ["failed"]
    assert search_records(SyncRecord.objects.all(), "  ").count() == 3
