"""Connector rows pointing at sandbox tenants, for the console's tests over real HTTP."""

import itertools

from tests.syncjobs.factories import make_fxiaoke, make_k3cloud

_slugs = itertools.count(1)


def crm_connector(sandbox, tenant, **fields):
    # Many short calls on one tenant: lift the platform's per-minute token and rate limits.
    sandbox.set_faults("fxiaoke", rate_limit=100000, token_limit_per_minute=1000)
    values = {
        "slug": f"crm-{next(_slugs)}",
        "base_url": sandbox.base_url + tenant["base_url"],
        "app_id": tenant["app_id"],
        "app_secret": tenant["app_secret"],
        "permanent_code": tenant["permanent_code"],
        "open_user_id": tenant["open_user_id"],
        "rate_limit": 100000,
        "timeout": 10,
        **fields,
    }
    return make_fxiaoke(**values)


def erp_connector(sandbox, tenant, **fields):
    values = {
        "slug": f"erp-{next(_slugs)}",
        "base_url": sandbox.base_url + tenant["server_url"],
        "acct_id": tenant["acct_id"],
        "username": tenant["username"],
        "auth_mode": "password",
        "password": tenant["password"],
        "org_number": tenant["org_number"],
        "timeout": 10,
        **fields,
    }
    return make_k3cloud(**values)
