"""The demo's sync: every enabled flow once, in two phases, and what it all came to.

First the flows that need nothing from the ERP's users (master data and CRM → ERP), in
dependency order; then the ERP sandbox's clerks act on the orders (audit, ship part,
receive payment for some); then the flows that bring those documents back to the CRM.
Runs go through the engine's service API, in this process. The write-backs the runs queued
(ERP numbers onto CRM accounts) are sent afterwards, on their own.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Max

from syncjobs.adapters.k3cloud_forms import form_info
from syncjobs.models import (
    RecordStatus,
    SyncFlow,
    SyncRecord,
    SyncRun,
    System,
    Trigger,
    WriteBack,
    WriteBackStatus,
)
from syncjobs.scenarios.demo import SandboxControl
from syncjobs.services import sync

PROBLEM_STATUSES = (RecordStatus.FAILED, RecordStatus.DEAD, RecordStatus.WAITING)
# How long the demo waits for the CRM's rate limit to take the queued write-backs.
# Those left over are sent by the worker while the demo serves, or by the next demo run.
WRITE_BACK_BUDGET_SECONDS = 120.0
WRITE_BACK_LIMIT = 100_000


@dataclass
class FlowSummary:
    """One flow's share of the demo: counts over all its runs, time and calls per system."""

    slug: str
    name: str
    status: str = ""
    read: int = 0  # read into batches: records changed only by the hub's own writes are not
    echoes: int = 0  # those records, recognised and skipped (``engine.echoes``)
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    failed: int = 0
    waiting: int = 0
    seconds: float = 0.0
    calls: dict = field(default_factory=dict)  # system ("fxiaoke"/"k3cloud") -> API calls
    message: str = ""


@dataclass
class DemoSync:
    summaries: list
    problems: list  # SyncRecords that failed or wait, oldest first
    simulation: dict
    open_problems: int  # records of any run still needing attention


def inbound_documents(flow):
    """Whether ``flow`` brings the ERP users' documents (shipments, receipts) to the CRM."""
    return flow.source_connector.system == System.K3CLOUD and form_info(flow.source_object).is_bill


def phases():
    """The enabled flows as ``(first phase, second phase)``, each in dependency order."""
    flows = list(SyncFlow.objects.filter(enabled=True).select_related("source_connector"))
    first = [flow for flow in flows if not inbound_documents(flow)]
    second = [flow for flow in flows if inbound_documents(flow)]
    return sync.dependency_order(first), sync.dependency_order(second)


def run_demo_sync(erp, sandbox_url, reporter=None, **context):
    """Run both phases with the ERP's clerks in between; a ``DemoSync`` of what happened.

    ``reporter`` (optional) hears of each step: ``started(flow)`` returns a ``progress(run)``
    callback for the flow's run, ``finished(flow, run)``, ``phase(number)`` and
    ``simulated(what)``. ``context`` reaches the engine
    (``sleep``, ``rng`` in tests).
    """
    reporter = reporter or SilentReporter()
    mark = SyncRun.objects.aggregate(last=Max("pk"))["last"] or 0
    first, second = phases()
    reporter.phase(1)
    _run_flows(first, reporter, context)
    simulation = SandboxControl(sandbox_url).simulate("k3cloud", tenant=erp.acct_id)
    reporter.simulated(simulation)
    reporter.phase(2)
    _run_flows(second, reporter, context)
    runs = list(SyncRun.objects.filter(pk__gt=mark).select_related("flow").order_by("pk"))
    return DemoSync(
        summaries=summarise(first + second, runs),
        problems=problems(runs),
        simulation=simulation,
        open_problems=SyncRecord.objects.filter(status__in=PROBLEM_STATUSES).count(),
    )


def pending_write_backs():
    """How many write-backs wait in the outbox."""
    return WriteBack.objects.filter(status=WriteBackStatus.PENDING).count()


def send_write_backs(**context):
    """Send the queued write-backs now, within the CRM's rate limit; a ``DrainResult``.

    They never hold up the flows (the CRM takes one call per record, 100 per 20 s), so the
    demo sends them after its sync, or leaves them to the worker when it serves.
    """
    return sync.drain_write_backs(
        limit=WRITE_BACK_LIMIT, budget_seconds=WRITE_BACK_BUDGET_SECONDS, **_drain_context(context)
    )


class SilentReporter:
    """Hears of every step and says nothing."""

    def started(self, flow):
        return None

    def finished(self, flow, run):
        pass

    def phase(self, number):
        pass

    def simulated(self, what):
        pass


def _run_flows(flows, reporter, context):
    for flow in flows:
        run = sync.run_now(flow, trigger=Trigger.MANUAL, progress=reporter.started(flow), **context)
        reporter.finished(flow, run)


def _drain_context(context):
    return {key: context[key] for key in ("sleep",) if key in context}


def summarise(flows, runs):
    """A ``FlowSummary`` per flow, adding up all its runs (its own, parents', released children)."""
    by_flow = defaultdict(list)
    for run in runs:
        by_flow[run.flow_id].append(run)
    return [_summary(flow, by_flow[flow.pk]) for flow in flows]


def _summary(flow, runs):
    summary = FlowSummary(flow.slug, flow.name)
    systems = {flow.source_connector.slug: flow.source_connector.system}
    systems[flow.target_connector.slug] = flow.target_connector.system
    for run in runs:
        summary.read += run.read_count
        summary.echoes += run.echo_count
        summary.created += run.created_count
        summary.updated += run.updated_count
        summary.unchanged += run.unchanged_count
        summary.failed += run.failed_count
        summary.seconds += run.duration.total_seconds() if run.duration else 0.0
        for connector, calls in (run.api_calls or {}).items():
            system = systems.get(connector, connector)
            summary.calls[system] = summary.calls.get(system, 0) + sum(calls.values())
    if runs:
        main = runs[0]
        summary.status, summary.message = main.status, main.message_text
    summary.waiting = SyncRecord.objects.filter(run__in=runs, status=RecordStatus.WAITING).count()
    return summary


def problems(runs):
    """The records of ``runs`` that failed, gave up or wait for a parent, in run order."""
    return list(
        SyncRecord.objects.filter(run__in=runs, status__in=PROBLEM_STATUSES)
        .select_related("flow")
        .order_by("run_id", "id")
    )
