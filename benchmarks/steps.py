"""The benchmark's steps, each run in a fresh process by ``benchmarks.child``.

A step takes a JSON-able spec and returns a JSON-able result; measured steps measure
only their own work (not Django's start-up).
"""

from benchmarks import workload
from benchmarks.measure import measuring
from benchmarks.naive import NaiveIntegration
from syncjobs.adapters.clients import build_client
from syncjobs.models import Connector, SyncFlow
from syncjobs.services import sync


def setup(spec):
    """Migrate, connect to the tenant pair, install the flows, settle the products (ERP → CRM)."""
    workload.prepare_database()
    crm, erp = workload.create_connectors(
        spec["base_url"], spec["tenants"], spec["rate_limit"], spec["budget_share"]
    )
    workload.install_flows(
        crm, erp, spec["batch_size"], spec["write_back"], spec.get("options"), spec.get("match", True)
    )
    settled = workload.SETUP_FLOWS if spec.get("settle", True) else ()
    return {"runs": [_run_flow(slug) for slug in settled]}


def run_flow(spec):
    """One flow as ``manage.py sync [--threads N]`` runs it (the run, then its write-backs), measured.

    ``crm_limits`` (optional) first sets the CRM connector's rate limit fields.
    """
    if spec.get("crm_limits"):
        Connector.objects.filter(slug=workload.CRM_SLUG).update(**spec["crm_limits"])
    with measuring() as figures:
        result = _run_flow(spec["flow"], spec.get("threads", 1))
    return {**result, "measurement": figures.as_dict()}


def _run_flow(slug, threads=1):
    flow = SyncFlow.objects.select_related("source_connector", "target_connector").get(slug=slug)
    run = sync.run_now(flow, threads=threads)
    drained = sync.drain_write_backs(limit=10**9, budget_seconds=10**6, flow=flow)
    return {
        "flow": slug,
        "status": run.status,
        "read": run.read_count,
        "created": run.created_count,
        "updated": run.updated_count,
        "unchanged": run.unchanged_count,
        "skipped": run.skipped_count,
        "failed": run.failed_count,
        "write_backs": drained.done,
        "write_backs_failed": drained.failed,
        "message": run.message_text,
        "timings": run.timings,
    }


def edit(spec):
    """Change a mapped field on every ``1/share``-th account and order, as CRM users would."""
    crm = build_client(Connector.objects.get(slug=workload.CRM_SLUG))
    step = max(1, round(1 / spec["share"]))
    changed = {}
    for api_name, field_name in (("AccountObj", "tel"), ("SalesOrderObj", "remark")):
        ids = [row["_id"] for row in crm.query(api_name, field_projection=["_id"])][::step]
        for number, record_id in enumerate(ids):
            crm.update(api_name, record_id, {field_name: f"{spec['stamp']}-{number}"})
        changed[api_name] = len(ids)
    crm.close()
    return {"changed": changed}


def naive(spec):
    """The one-record-at-a-time baseline, measured."""
    erp_connector = Connector.objects.get(slug=workload.ERP_SLUG)
    crm = build_client(Connector.objects.get(slug=workload.CRM_SLUG))
    erp = build_client(erp_connector)
    integration = NaiveIntegration(crm, erp, erp_connector.org_number)
    with measuring() as figures:
        customers = integration.customers(spec.get("customers"))
        orders = integration.orders(spec.get("orders"))
    crm.close()
    erp.close()
    return {
        "customers": customers,
        "orders": orders,
        "failed": integration.failed[:20],
        "failed_count": len(integration.failed),
        "measurement": figures.as_dict(),
    }


STEPS = {"setup": setup, "run_flow": run_flow, "edit": edit, "naive": naive}


def queue_load(spec):
    """Run the load through the task queue (the ``qcluster`` processes do the work), measured.

    Each flow is queued and waited for in turn (orders need their customers); after the
    first, one write-back drain per worker is queued, so the workers send write-backs at once,
    beside the next run, all under the CRM connector's shared rate limit.
    """
    from benchmarks import queue

    Connector.objects.filter(slug=workload.CRM_SLUG).update(**spec["crm_limits"])
    first, *rest = spec["flows"]
    with measuring() as figures:
        runs = [queue.run_through_queue(first)]
        queue.queue_drains(spec["workers"])  # they send the customers' write-backs beside the next runs
        runs += [queue.run_through_queue(slug) for slug in rest]
        drains = queue.wait_for_drains()
    return {
        "runs": runs,
        "drains": drains,
        "measurement": figures.as_dict(),
        "sharing": queue.sharing(spec["flows"]),
        "targets": queue.target_duplicates(),
    }


STEPS["queue_load"] = queue_load
