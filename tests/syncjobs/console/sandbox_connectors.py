"""Connector rows pointing at sandbox tenants, for the tests over real HTTP."""

from tests.syncjobs.factories import make_sandbox_fxiaoke, make_sandbox_k3cloud


def crm_connector(sandbox, tenant, **fields):
    # Many short calls on one tenant: lift the platform's per-minute token and rate limits.
    sandbox.set_faults("fxiaoke", rate_limit=100000, token_limit_per_minute=1000)
    return make_sandbox_fxiaoke(sandbox.base_url, tenant, **fields)


def erp_connector(sandbox, tenant, **fields):
    return make_sandbox_k3cloud(sandbox.base_url, tenant, **fields)
