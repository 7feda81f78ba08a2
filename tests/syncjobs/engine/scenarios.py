"""Connectors and flows over freshly seeded sandbox tenants, for the end-to-end engine tests.

Each ``Hub`` seeds its own tenants (isolation by tenant, never by flushing), builds the
two connectors pointing at them, and offers the scenario flows and ways to look at what
landed on either side — through the adapters, over HTTP, like the engine itself.
"""

from syncjobs.adapters.base import ReadOptions
from syncjobs.adapters.clients import adapter_for
from syncjobs.models import Operation
from tests.syncjobs.factories import make_flow, make_mapping, make_sandbox_fxiaoke, make_sandbox_k3cloud

FAST = {"retry_base_seconds": 0.01, "retry_cap_seconds": 0.05, "parallel_batches": 1}


def fast_hub(sandbox, settings, size=20):
    """A ``Hub`` whose clients retry within milliseconds and whose CRM allows any call rate."""
    settings.INTEGRATION_HUB_RETRY_BASE_SECONDS = 0.01
    settings.INTEGRATION_HUB_RETRY_CAP_SECONDS = 0.05
    sandbox.set_faults("fxiaoke", rate_limit=100000, token_limit_per_minute=1000)
    return Hub(sandbox, size=size)


class Hub:
    """Two seeded tenants and the connectors to them."""

    def __init__(self, sandbox, size=20, seed=42):
        seeded = sandbox.seed(size=size, seed=seed)
        self.attach(sandbox, sandbox.base_url, seeded["k3cloud"], seeded["fxiaoke"])

    @classmethod
    def attached(cls, base_url, erp_tenant, crm_tenant, sandbox=None):
        """A hub for tenants seeded elsewhere (another process's database)."""
        hub = cls.__new__(cls)
        hub.attach(sandbox, base_url, erp_tenant, crm_tenant)
        return hub

    def attach(self, sandbox, base_url, erp_tenant, crm_tenant):
        self.sandbox = sandbox
        self.erp_tenant, self.crm_tenant = erp_tenant, crm_tenant
        self.erp = make_sandbox_k3cloud(base_url, erp_tenant)
        self.crm = make_sandbox_fxiaoke(base_url, crm_tenant)

    # --- the flows of the scenarios -----------------------------------------------------
    def customers(self, slug="customers", **fields):
        """CRM accounts → ERP customers, adopted by tax code, submitted and audited."""
        options = {**FAST, **fields.pop("options", {})}
        flow = make_flow(
            slug,
            source=self.crm,
            target=self.erp,
            source_object="AccountObj",
            target_object="BD_Customer",
            match_keys=["FSOCIALCRECODE"],
            post_actions=fields.pop("post_actions", [{"action": "submit"}, {"action": "audit"}]),
            batch_size=fields.pop("batch_size", 5),
            options=options,
            **fields,
        )
        make_mapping(flow, "FName", "name", required=True, position=1)
        make_mapping(flow, "FSOCIALCRECODE", "field_x2Tax__c", required=True, position=2)
        make_mapping(flow, "FTAXREGISTERCODE", "field_x2Tax__c", position=3)
        make_mapping(flow, "FTEL", "tel", position=4)
        make_mapping(flow, "FADDRESS", "address", position=5)
        return flow

    def contacts(self, slug="contacts", **fields):
        """CRM contacts → ERP common contacts: every record a create (the ERP has none)."""
        options = {**FAST, **fields.pop("options", {})}
        flow = make_flow(
            slug,
            source=self.crm,
            target=self.erp,
            source_object="ContactObj",
            target_object="BD_COMMONCONTACT",
            batch_size=fields.pop("batch_size", 4),
            options=options,
            **fields,
        )
        make_mapping(flow, "FName", "name", required=True, position=1)
        make_mapping(flow, "FMobile", "mobile1", position=2)
        make_mapping(flow, "FEmail", "email", position=3)
        make_mapping(flow, "FPost", "job_title", position=4)
        return flow

    def products(self, slug="products", **fields):
        """ERP materials → CRM products, matched by product code; the ERP is the master."""
        options = {**FAST, **fields.pop("options", {})}
        flow = make_flow(
            slug,
            source=self.erp,
            target=self.crm,
            source_object="BD_MATERIAL",
            target_object="ProductObj",
            match_keys=["product_code"],
            operation=Operation.UPSERT,
            batch_size=5,
            options={"audited_only": True, **options},
            **fields,
        )
        make_mapping(flow, "product_code", "FNumber", required=True, position=1)
        make_mapping(flow, "name", "FName", required=True, position=2)
        return flow

    def orders(self, slug="orders", customers="customers", products="products", **fields):
        """CRM orders with their lines → ERP sales orders; customer and materials looked up."""
        options = {**FAST, **fields.pop("options", {})}
        flow = make_flow(
            slug,
            source=self.crm,
            target=self.erp,
            source_object="SalesOrderObj",
            target_object="SAL_SaleOrder",
            match_keys=["FBillNo"],
            batch_size=fields.pop("batch_size", 5),
            options=options,
            **fields,
        )
        rows = [
            ("FBillNo", "name", "direct", {}),
            ("FCustId.FNumber", "account_id", "lookup", {"flow": customers, "by": "source_id"}),
            ("FDate", "order_time", "datetime", {"output_format": "%Y-%m-%d"}),
            (
                "FSaleOrderEntry[].FMaterialId.FNumber",
                "SalesOrderProductObj[].product_id",
                "lookup",
                {"flow": products, "by": "target_id", "return": "source_number"},
            ),
            ("FSaleOrderEntry[].FQty", "SalesOrderProductObj[].quantity", "number", {}),
            ("FSaleOrderEntry[].FTaxPrice", "SalesOrderProductObj[].sales_price", "number", {"decimals": 2}),
        ]
        for position, (target, source, transform, params) in enumerate(rows, start=1):
            make_mapping(flow, target, source, transform, params, position=position, required=position <= 2)
        return flow

    # --- looking at either side -------------------------------------------------------
    def records(self, connector, obj, fields):
        """Every record of ``obj`` (``{id: data}``), read through the adapter."""
        adapter = adapter_for(connector)
        try:
            pages = adapter.read_changed(obj, None, ReadOptions(fields=fields, page_size=500))
            return {record.id: record.data for page in pages for record in page}
        finally:
            adapter.client.close()

    def calls(self, system, operation=None, after=0):
        tenant = self.erp_tenant["acct_id"] if system == "k3cloud" else self.crm_tenant["tenant"]
        calls = self.sandbox.calls(system, tenant=tenant, after_id=after)
        return [c for c in calls if operation is None or c["operation"] == operation]

    def mark(self, system):
        calls = self.calls(system)
        return calls[-1]["id"] if calls else 0
