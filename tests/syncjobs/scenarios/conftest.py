"""A freshly seeded CRM and ERP per test with the scenario flows installed between them."""

import random

import pytest

from syncjobs.adapters.clients import adapter_for
from syncjobs.models import SyncFlow, SyncRecord
from syncjobs.scenarios.install import install_scenarios
from syncjobs.services import sync
from tests.syncjobs.factories import make_sandbox_fxiaoke, make_sandbox_k3cloud

SEND = "/cgi/message/send"


@pytest.fixture(autouse=True)
def fast_client_retries(settings):
    settings.INTEGRATION_HUB_RETRY_BASE_SECONDS = 0.01
    settings.INTEGRATION_HUB_RETRY_CAP_SECONDS = 0.05


class Site:
    """Two fresh tenants (a small seeded business), their connectors and the scenario flows."""

    def __init__(self, sandbox, size=4):
        self.sandbox = sandbox
        seeded = sandbox.seed(size=size, seed=11)
        self.erp_tenant, self.crm_tenant = seeded["k3cloud"], seeded["fxiaoke"]
        self.erp_connector = make_sandbox_k3cloud(sandbox.base_url, self.erp_tenant)
        self.crm_connector = make_sandbox_fxiaoke(sandbox.base_url, self.crm_tenant)
        install_scenarios(self.crm_connector, self.erp_connector)
        self.crm = adapter_for(self.crm_connector)
        self.erp = adapter_for(self.erp_connector)

    def close(self):
        self.crm.client.close()
        self.erp.client.close()

    # --- running flows ----------------------------------------------------------------
    def run(self, slug, **options):
        """Run flow ``slug`` to the end here, without sleeping; the run."""
        flow = SyncFlow.objects.get(slug=slug)
        return sync.run_now(flow, sleep=lambda seconds: None, rng=random.Random(5), **options)

    def outcome(self, slug, source_id):
        """The latest record log of ``source_id`` in flow ``slug``."""
        return SyncRecord.objects.filter(flow__slug=slug, source_id=source_id).latest("id")

    # --- either side ------------------------------------------------------------------
    def first_id(self, obj, **equals):
        filters = [(name, "EQ", [value]) for name, value in equals.items()]
        return next(iter(self.crm.client.query(obj, filters, field_projection=["_id"], page_size=1)))["_id"]

    def crm_lines(self, obj, master_field, master_id):
        return list(self.crm.client.query(obj, [(master_field, "EQ", [master_id])]))

    def erp_rows(self, form_id, keys, filter_string):
        """ERP query rows as dicts keyed by ``keys`` (entries expand into one row each)."""
        order = "FID ASC" if form_id.startswith(("SAL_", "AR_")) else ""
        return list(self.erp.client.query(form_id, keys, filter_string, order))

    def messages(self, after=0):
        """The CRM's text messages sent since call ``after``: their ``to …: text`` details."""
        calls = self.sandbox.calls("fxiaoke", tenant=self.crm_tenant["tenant"], after_id=after)
        return [call["detail"] for call in calls if call["operation"] == SEND]

    def mark(self, system="fxiaoke"):
        tenant = self.crm_tenant["tenant"] if system == "fxiaoke" else self.erp_tenant["acct_id"]
        calls = self.sandbox.calls(system, tenant=tenant)
        return calls[-1]["id"] if calls else 0


@pytest.fixture
def site(db, sandbox):
    # Many short runs on fresh tenants: the platform's per-minute token limit would refuse
    # logins the tests do not mean to be refused.
    sandbox.set_faults("fxiaoke", rate_limit=100000, token_limit_per_minute=1000)
    site = Site(sandbox)
    yield site
    site.close()
