"""Documents of a batch refused because someone audited them are un-audited in one call."""

import random

import pytest

from syncjobs.models import RunStatus
from syncjobs.services import sync
from tests.syncjobs.engine.scenarios import Hub
from tests.syncjobs.factories import make_mapping


@pytest.fixture(autouse=True)
def fast_client_retries(settings):
    settings.INTEGRATION_HUB_RETRY_BASE_SECONDS = 0.01
    settings.INTEGRATION_HUB_RETRY_CAP_SECONDS = 0.05


def test_audited_customers_of_one_batch_are_unaudited_together(db, sandbox):
    sandbox.set_faults("fxiaoke", rate_limit=100000, token_limit_per_minute=1000)
    hub = Hub(sandbox, size=40)  # the ERP already holds (audited) four of the forty customers
    flow = hub.customers(batch_size=40)
    make_mapping(flow, "FINVOICETITLE", "name", position=9)  # the ERP's copies have none: four updates
    mark = hub.mark("k3cloud")

    run = sync.run_now(flow, sleep=lambda seconds: None, rng=random.Random(1))

    unaudits = hub.calls("k3cloud", "UnAudit", after=mark)
    assert run.status == RunStatus.SUCCEEDED and run.updated_count == 4
    assert [call["rows"] for call in unaudits] == [4]
