"""Switching flows on and off, and their incremental state."""

import pytest

from syncjobs.engine.reader import save_incremental_state
from syncjobs.services.flows import set_enabled
from tests.syncjobs.factories import make_flow

pytestmark = pytest.mark.django_db


def test_set_enabled_keeps_history_and_watermark_moves_without_it():
    flow = make_flow(enabled=False)
    assert set_enabled([flow], True) == 1
    assert set_enabled([flow], True) == 0
    history = flow.history.count()
    save_incremental_state(flow.pk, "2024-05-01T00:00:00+08:00", ["a1", "a2"])
    flow.refresh_from_db()
    assert flow.boundary_ids == ["a1", "a2"] and flow.watermark.year == 2024
    assert flow.history.count() == history
