import json
import random
import uuid
from pathlib import Path

import pytest

from connectors.k3cloud import K3CloudClient, K3CloudConfig
from connectors.retrying import RetryPolicy
from connectors.state import DatabaseState

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def load_fixture():
    """Read a JSON reply from ``fixtures/`` (the spec's literal replies, §8)."""

    def load(name):
        return json.loads((FIXTURES / name).read_text(encoding="utf-8"))

    return load


def absolute(sandbox_server, seeded):
    """The seed's connection details with the server URL made absolute."""
    return {**seeded, "server_url": sandbox_server.base_url + seeded["server_url"]}


def add_customers(sandbox_server, tenant, count, status="C"):
    """Create ``count`` customers in the tenant at once (the sandbox's bulk hook, not the API)."""
    response = sandbox_server.http.post(
        f"{sandbox_server.k3cloud_url}_sandbox/bulk",
        json={"acct_id": tenant["acct_id"], "count": count, "status": status},
        timeout=120,
    )
    response.raise_for_status()
    return response.json()


@pytest.fixture(scope="module")
def erp(sandbox_server):
    """A fresh K3Cloud tenant for the test module (connection details, absolute server URL),
    with a few more customers than the seed's own."""
    tenant = absolute(sandbox_server, sandbox_server.seed(size=10, seed=11, systems=["k3cloud"])["k3cloud"])
    add_customers(sandbox_server, tenant, 5)
    return tenant


class Sleeps(list):
    """An injected ``sleep`` that records the waits instead of waiting.

    ``then`` (optional) runs at each wait: a test sets it to clear a sandbox fault, so that
    exactly the first attempt meets the fault, whatever the sandbox's random draws.
    """

    then = None

    def __call__(self, seconds):
        self.append(seconds)
        if self.then is not None:
            self.then()


@pytest.fixture
def sleeps():
    return Sleeps()


@pytest.fixture
def make_client(erp, db, sleeps):
    """Build clients for the module's tenant: ``make_client("sign", timeout=1)``.

    Each client gets its own connector key unless one is given, a retry policy that records
    its waits in ``sleeps`` instead of sleeping, and the database shared state.
    """
    clients = []

    def make(auth_mode="password", *, tenant=None, state=None, attempts=5, **overrides):
        details = tenant or erp
        values = {
            "server_url": details["server_url"],
            "acct_id": details["acct_id"],
            "username": details["username"],
            "password": details["password"],
            "app_id": details["app_id"],
            "app_secret": details["app_secret"],
            "lcid": details.get("lcid", 2052),
            "connector_key": f"k3cloud:test:{uuid.uuid4().hex[:8]}",
        }
        config = K3CloudConfig(auth_mode=auth_mode, **{**values, **overrides})
        policy = RetryPolicy(
            max_attempts=attempts, base_seconds=0.5, cap_seconds=4, sleep=sleeps, rng=random.Random(3)
        )
        client = K3CloudClient(config, state=state or DatabaseState(), retry_policy=policy)
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()


@pytest.fixture
def call_log(sandbox, erp):
    """``call_log(operation)`` → the sandbox calls since the test started, oldest first.

    Only this tenant's calls by default; ``any_tenant=True`` adds the calls a fault stopped
    before the ERP knew whose they were (HTTP 500, timeout, reset are logged without tenant).
    """
    tenant = erp["acct_id"]
    # The newest call so far: this tenant's last one, then anything logged after it.
    start = max([c["id"] for c in sandbox.calls("k3cloud", tenant=tenant)[-1:]] or [0])
    start = max([c["id"] for c in sandbox.calls("k3cloud", after_id=start)[-1:]] or [start])

    def calls(operation=None, any_tenant=False):
        rows = sandbox.calls("k3cloud", after_id=start)
        return [
            c
            for c in rows
            if (operation is None or c["operation"] == operation) and (any_tenant or c["tenant"] == tenant)
        ]

    return calls
