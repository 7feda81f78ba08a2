"""The benchmark's business on the hub's side: connectors to a seeded tenant pair and the
scenario flows between them, tuned the way the benchmark states in its report."""

from django.core.management import call_command

from syncjobs.models import AuthMode, Connector, SyncFlow, System
from syncjobs.scenarios.install import install_scenarios

CRM_SLUG = "benchmark-crm"
ERP_SLUG = "benchmark-erp"
# The flows of the measured load (CRM → ERP) and the one settled before it.
LOAD_FLOWS = ("customers", "sales-orders")
SETUP_FLOWS = ("products",)
# A limit the sandbox never reaches: the engine figure is measured without rate limits.
UNLIMITED = 10**9


def prepare_database():
    call_command("migrate", verbosity=0)


def create_connectors(base_url, tenants, rate_limit, budget_share):
    """The CRM and ERP connectors of ``tenants`` (the sandbox's seed answer)."""
    crm_tenant, erp_tenant = tenants["fxiaoke"], tenants["k3cloud"]
    crm = Connector.objects.create(
        name="Benchmark CRM",
        slug=CRM_SLUG,
        system=System.FXIAOKE,
        base_url=base_url + crm_tenant["base_url"],
        app_id=crm_tenant["app_id"],
        app_secret=crm_tenant["app_secret"],
        permanent_code=crm_tenant["permanent_code"],
        open_user_id=crm_tenant["open_user_id"],
        rate_limit=rate_limit,
        rate_budget_share=budget_share,
    )
    erp = Connector.objects.create(
        name="Benchmark ERP",
        slug=ERP_SLUG,
        system=System.K3CLOUD,
        base_url=base_url + erp_tenant["server_url"],
        acct_id=erp_tenant["acct_id"],
        username=erp_tenant["username"],
        auth_mode=AuthMode.PASSWORD,
        password=erp_tenant["password"],
        org_number=str(erp_tenant["org_number"]),
    )
    return crm, erp


def install_flows(crm, erp, batch_size, write_back, options=None, match=True):
    """The scenario flows between the connectors, run only when the benchmark says so.

    ``write_back`` False switches the customers flow's write-back of the ERP number off.
    ``options`` are merged into every flow's engine options (e.g. ``parallel_batches``).
    ``match`` False drops the match keys (no lookup of existing target records).
    """
    install_scenarios(crm, erp)
    for flow in SyncFlow.objects.all():
        flow.batch_size = batch_size
        flow.schedule_minutes, flow.schedule_cron = 0, ""
        flow.options = {**flow.options, **(options or {})}
        if not write_back:
            flow.options.pop("write_back", None)
        if not match:
            flow.match_keys = []
        flow.save()
