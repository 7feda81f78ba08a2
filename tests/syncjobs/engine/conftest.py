import random

import pytest

from connectors.errors import OutcomeUnknownError
from syncjobs.adapters.clients import adapters_from
from syncjobs.services import sync
from tests.syncjobs.engine.memory import MemoryAdapter, MemorySystem
from tests.syncjobs.factories import make_flow, make_fxiaoke, make_k3cloud, make_mapping

NO_WAIT = {"retry_base_seconds": 0, "retry_cap_seconds": 0, "parallel_batches": 1}


def lost(error=None):
    """A write the system applied before its answer was lost."""
    error = error or OutcomeUnknownError("connection reset after the write", system="memory")
    error.applied = True
    return error


@pytest.fixture
def crm():
    return MemorySystem("crm", number_field="account_no")


@pytest.fixture
def erp():
    return MemorySystem("erp", number_field="FNumber")


@pytest.fixture
def connectors(db, crm, erp):
    stores = {"crm": crm, "erp": erp}
    connectors = {"crm": make_fxiaoke("crm"), "erp": make_k3cloud("erp")}
    with adapters_from(lambda connector: MemoryAdapter(stores[connector.slug])):
        yield connectors


@pytest.fixture
def customers(connectors):
    """Accounts (CRM) → customers (ERP), matched by number, three records per batch."""
    flow = make_flow(
        "customers",
        source=connectors["crm"],
        target=connectors["erp"],
        match_keys=["FNumber"],
        batch_size=3,
        options=dict(NO_WAIT),
    )
    make_mapping(flow, "FNumber", "account_no", required=True, position=1)
    make_mapping(flow, "FName", "name", required=True, position=2)
    make_mapping(flow, "FCreditLimit", "credit", "number", {"decimals": 2}, position=3)
    return flow


def add_accounts(crm, count, start=1, **extra):
    for i in range(start, start + count):
        crm.add("AccountObj", f"a{i}", {"account_no": f"C{i:04d}", "name": f"Account {i}", **extra})


def run_now(flow, **options):
    """Run ``flow`` to the end in this process without sleeping, deterministically."""
    options.setdefault("sleep", lambda seconds: None)
    options.setdefault("rng", random.Random(7))
    flow.refresh_from_db()
    return sync.run_now(flow, **options)
