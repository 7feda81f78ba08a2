"""Adapters built from ``Connector`` rows pointing at freshly seeded sandbox tenants."""

import itertools
import random

import pytest

from connectors.http import RetryPolicy
from syncjobs.adapters.clients import adapter_for
from tests.syncjobs.factories import make_fxiaoke, make_k3cloud

_slugs = itertools.count(1)


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
    return make_k3cloud(
        slug=f"erp-{next(_slugs)}",
        base_url=sandbox.base_url + erp_tenant["server_url"],
        acct_id=erp_tenant["acct_id"],
        username=erp_tenant["username"],
        auth_mode="password",
        password=erp_tenant["password"],
        org_number=erp_tenant["org_number"],
        timeout=10,
    )


@pytest.fixture
def crm_connector(db, sandbox, crm_tenant):
    # Many short tests on one tenant: the platform's per-minute token limit and per-interface
    # rate limit would otherwise refuse calls that the tests do not mean to be refused.
    sandbox.set_faults("fxiaoke", rate_limit=100000, token_limit_per_minute=1000)
    return make_fxiaoke(
        slug=f"crm-{next(_slugs)}",
        base_url=sandbox.base_url + crm_tenant["base_url"],
        app_id=crm_tenant["app_id"],
        app_secret=crm_tenant["app_secret"],
        permanent_code=crm_tenant["permanent_code"],
        open_user_id=crm_tenant["open_user_id"],
        rate_limit=100000,
        timeout=10,
    )


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
