"""The built-in flows of the everyday CRM ⇄ ERP scenarios, shipped as an importable bundle.

``flows.json`` is a flow file in the format the flows admin imports and exports
(``syncjobs.resources.SyncFlowResource``): one object per flow with its mapping rows, value
maps and dependencies. It names its connectors by the slugs ``crm`` (Fxiaoke) and ``erp``
(K3Cloud); ``syncjobs.scenarios.install.install_scenarios`` installs it between any two
connectors, and an administrator whose connectors carry those slugs can import it as it is.

The scenarios sit above the import-export resources, since they install through them;
``demo`` and ``demo_sync`` set the scenarios up on the sandboxes and run them once.
"""

import json
from pathlib import Path

BUNDLE = Path(__file__).with_name("flows.json")
# The connector slugs the bundle is written for.
CRM_PLACEHOLDER = "crm"
ERP_PLACEHOLDER = "erp"
# The flows of each phase of a full sync: master data and CRM → ERP first; what the ERP
# does with the orders (shipments, receipts) comes back afterwards.
OUTBOUND = ("customers", "contacts", "products", "sales-orders")
INBOUND = ("shipments", "receipts")


def load_bundle():
    """The bundle's flow rows (fresh dicts on every call)."""
    return json.loads(BUNDLE.read_text(encoding="utf-8"))
