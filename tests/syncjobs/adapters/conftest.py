"""Adapters built from ``Connector`` rows pointing at freshly seeded sandbox tenants."""

import random

import pytest

from connectors.retrying import RetryPolicy
from syncjobs.adapters.clients import adapter_for
from tests.syncjobs.console import sandbox_connectors


class Sleeps(list):
    """An injected ``sleep``: records the waits instead of waiting."""

    def __call__(self, seconds):
        self.append(seconds)


def fast_retries(sleeps):
    return RetryPolicy(
        max_attempts=3, base_seconds=0.01, cap_seconds=0.05, sleep=sleeps, rng=random.Random(3)
    )


@pytest.fixture
def sleeps():
    return Sleeps()


@pytest.fixture(scope="module")
def erp_tenant(sandbox_server):
    """A K3Cloud tenant for the test module; each test writes records of its own."""
    return sandbox_server.seed(size=10, seed=7, systems=["k3cloud"])["k3cloud"]


@pytest.fixture(scope="module")
def crm_tenant(sandbox_server):
    """A Fxiaoke tenant for the test module; each test writes records of its own."""
    return sandbox_server.seed(size=8, seed=7, systems=["fxiaoke"])["fxiaoke"]


@pytest.fixture
def erp_connector(db, sandbox, erp_tenant):
    return sandbox_connectors.erp_connector(sandbox, erp_tenant)


@pytest.fixture
def crm_connector(db, sandbox, crm_tenant):
    return sandbox_connectors.crm_connector(sandbox, crm_tenant)


@pytest.fixture
def erp(erp_connector, sleeps):
    adapter = adapter_for(erp_connector, retry_policy=fast_retries(sleeps))
    yield adapter
    adapter.client.close()


@pytest.fixture
def crm(crm_connector, sleeps):
    adapter = adapter_for(crm_connector, retry_policy=fast_retries(sleeps))
    yield adapter
    adapter.client.close()


class CallLog:
    """The sandbox call log of one tenant, from a mark on."""

    def __init__(self, sandbox, system, tenant):
        self.sandbox, self.system, self.tenant = sandbox, system, tenant
        self.mark()

    def mark(self):
        calls = self.sandbox.calls(self.system, tenant=self.tenant)
        self.after = calls[-1]["id"] if calls else 0

    def since_mark(self, operation=None):
        calls = self.sandbox.calls(self.system, tenant=self.tenant, after_id=self.after)
        return [c for c in calls if operation is None or c["operation"] == operation]


@pytest.fixture
def erp_calls(sandbox, erp_tenant):
    return CallLog(sandbox, "k3cloud", erp_tenant["acct_id"])


@pytest.fixture
def crm_calls(sandbox, crm_tenant):
    return CallLog(sandbox, "fxiaoke", crm_tenant["tenant"])
