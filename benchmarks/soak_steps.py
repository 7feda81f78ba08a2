"""The soak's steps, each run in a fresh process by ``benchmarks.child``.

``soak_setup`` loads the business and puts the flows on their schedules; ``soak_drive`` is
the people of both systems (through the sandbox's simulation hooks, so their edits are
not API calls of ours) and a sampler of the hub's queue; ``soak_collect`` reads what
happened from the hub's tables and the sandbox's records.
"""

import random
import time
from datetime import UTC, datetime

import requests
from django.db.models import Count

from benchmarks import soak_figures, steps, workload
from syncjobs.models import Connector, RunStatus, SyncFlow, SyncRecord, SyncRun, Trigger, WriteBack
from syncjobs.models.outbox import WriteBackStatus

# Which flow carries a change of each source object, and the record-log column naming it.
FLOW_OF = {
    "AccountObj": ("customers", "source_id"),
    "SalesOrderObj": ("sales-orders", "source_id"),
    "SAL_DELIVERYNOTICE": ("shipments", "source_number"),
    "SAL_OUTSTOCK": ("shipments-outstock", "source_number"),
    "AR_RECEIVEBILL": ("receipts", "source_number"),
}
CRM_TO_ERP = ("customers", "sales-orders")
# What a CRM edit is: shares of account edits, new accounts (whose ERP numbers the hub
# writes back, so its own writes reach the webhook), order edits and new orders.
EDIT_KINDS = (("accounts", 0.3), ("new_accounts", 0.1), ("orders", 0.4), ("new_orders", 0.2))
SAMPLE_SECONDS = 1.0
WRITTEN = ("create", "update")
FAILED = ("failed", "dead")


def soak_setup(spec):
    """``setup``, the initial load in this process (write-backs sent), then the schedules on."""
    steps.setup(spec)
    flows = SyncFlow.objects.filter(enabled=True).exclude(slug__in=workload.SETUP_FLOWS)
    loaded = [steps._run_flow(slug) for slug in _parents_first(flows)]
    for flow in SyncFlow.objects.all():
        flow.schedule_minutes = spec["schedule_minutes"]
        flow.save()  # saving an enabled flow with an interval creates its schedule
    Connector.objects.filter(slug=workload.CRM_SLUG).update(**spec["crm_limits"])
    return {"runs": loaded}


def _parents_first(flows):
    """Slugs ordered so that every flow comes after the flows it depends on."""
    pending = {flow.slug: set(flow.depends_on.values_list("slug", flat=True)) for flow in flows}
    ordered = []
    while pending:
        ready = sorted(slug for slug, parents in pending.items() if not parents & set(pending))
        ordered += ready or sorted(pending)  # a cycle: the rest in name order
        for slug in ready or list(pending):
            pending.pop(slug)
    return ordered


def soak_drive(spec):
    """The stream of changes for ``minutes``, then the settling; every sample of the queue."""
    driver = Driver(spec)
    started = time.time()
    driver.stream(started, started + 60 * spec["minutes"])
    ended = time.time()
    settled = driver.settle(ended)
    return {
        "stream_start": started,
        "stream_end": ended,
        "settled_at": settled,
        "changes": driver.changes,
        "erp_actions": driver.erp_actions,
        "samples": driver.samples,
    }


class Driver:
    """People editing the CRM at ``rate`` a second, ERP clerks shipping and taking payments."""

    def __init__(self, spec):
        self.spec = spec
        self.rng = random.Random(spec.get("seed", 17))
        self.http = requests.Session()
        self.changes, self.erp_actions, self.samples = [], [], []
        self.orders = spec["orders"]
        self.shipped = self.paid = 0

    def stream(self, start, end):
        owed, tick, next_erp = 0.0, 0, start + self.spec["erp_every_seconds"]
        while (now := time.time()) < end:
            owed += self.spec["rate"]
            edits, owed = int(owed), owed - int(owed)
            if edits:
                self._crm(edits, tick)
            if now >= next_erp:
                self._erp(tick)
                next_erp += self.spec["erp_every_seconds"]
            self._sample(False)
            tick += 1
            time.sleep(max(0.0, start + tick - time.time()))

    def _crm(self, edits, tick):
        kinds, weights = zip(*EDIT_KINDS, strict=True)
        counts = dict.fromkeys(kinds, 0)
        for kind in self.rng.choices(kinds, weights, k=edits):
            counts[kind] += 1
        body = {"tenant": self.spec["crm_tenant"], "seed": tick, "approve": False, "stream": counts}
        answer = self._simulate("fxiaoke", body)
        for done in answer.values():
            self.changes.extend(done.get("changes", []))
        self.orders += counts["new_orders"]

    def _erp(self, tick):
        """Ship and take payment for about ``erp_share`` of the edit rate, split evenly."""
        wanted = self.spec["rate"] * self.spec["erp_every_seconds"] * self.spec["erp_share"] / 2
        ship = min(1.0, wanted / max(1, self.orders - self.shipped))
        receive = min(1.0, wanted / max(1, self.orders - self.paid))
        body = {"tenant": self.spec["erp_tenant"], "ship": ship, "receive": receive, "seed": tick}
        done = self._simulate("k3cloud", body)
        self.shipped += done.get("delivery_notices", 0)
        self.paid += done.get("receipts", 0)
        self.erp_actions.append({"at": time.time(), **done})

    def _simulate(self, system, body):
        url = f"{self.spec['sandbox_url']}/sandbox/control/simulate/{system}"
        response = self.http.post(url, json=body, timeout=600)
        response.raise_for_status()
        return response.json()

    def _sample(self, settling):
        queued = SyncRun.objects.filter(status=RunStatus.QUEUED).values("flow__slug").annotate(n=Count("id"))
        unfinished = SyncRun.objects.filter(status__in=(RunStatus.QUEUED, RunStatus.RUNNING)).count()
        pending = WriteBack.objects.filter(status__in=(WriteBackStatus.PENDING, WriteBackStatus.RUNNING))
        sample = {
            "at": time.time(),
            "settling": settling,
            "queued": {row["flow__slug"]: row["n"] for row in queued},
            "unfinished_runs": unfinished,
            "pending_write_backs": pending.count(),
        }
        self.samples.append(sample)
        return sample

    def settle(self, since):
        """Sample until the hub is idle (at least ``settle_min_seconds``), at most ``settle_max_seconds``."""
        while (waited := time.time() - since) < self.spec["settle_max_seconds"]:
            sample = self._sample(True)
            idle = not sample["unfinished_runs"] and not sample["pending_write_backs"]
            if idle and waited >= self.spec["settle_min_seconds"]:
                break
            time.sleep(SAMPLE_SECONDS)
        return time.time()


def soak_collect(spec):
    """Every figure of the soak from the hub's tables (and the sandbox's ERP bills)."""
    drive = spec["drive"]
    start, end = drive["stream_start"], drive["settled_at"]
    changes = [(FLOW_OF[api][0], object_id, ms / 1000) for api, object_id, ms in drive["changes"]]
    changes += erp_changes(spec["erp_tenant"], start, drive["stream_end"])
    values = soak_figures.lags(changes, written_records(start, ("succeeded",), WRITTEN))
    failed = soak_figures.refused(changes, values, _starts(written_records(start, FAILED)))
    runs = SyncRun.objects.filter(queued_at__gte=_aware(start), queued_at__lte=_aware(end))
    return {
        "changes": _counts(changes),
        "lag": _lag_by_direction(changes, values, failed),
        "backlog": soak_figures.backlog_trend(changes, values, failed, start, drive["stream_end"]),
        "runs": dict(runs.values_list("trigger").annotate(n=Count("id")).order_by()),
        "echo_runs": len(echoes(runs, drive["changes"])),
        "crm_calls_of_crm_flows": crm_calls_of(runs.filter(flow__slug__in=CRM_TO_ERP)),
        "write_backs": WriteBack.objects.filter(
            done_at__gte=_aware(start), status=WriteBackStatus.DONE
        ).count(),
    }


def erp_changes(acct_id, start, end):
    """``[(flow, bill number, audited at)]`` of the bills the ERP's clerks audited in the stream."""
    # The sandbox's apps are installed only in the process told to read its database.
    from sandbox.k3cloud.models import Record
    from sandbox.routers import SANDBOX_DB

    enabled = set(SyncFlow.objects.filter(enabled=True).values_list("slug", flat=True))
    bills = Record.objects.using(SANDBOX_DB).filter(
        tenant__acct_id=acct_id,
        form__in=[form for form, (flow, _key) in FLOW_OF.items() if form.isupper() and flow in enabled],
        approved_at__gte=_aware(start),
        approved_at__lte=_aware(end),
    )
    return [
        (FLOW_OF[form][0], number, at.timestamp())
        for form, number, at in bills.values_list("form", "number", "approved_at")
    ]


def written_records(since, statuses, actions=None):
    """``{(flow, source key): [(version read, logged)]}`` of the record logs since ``since``."""
    rows = SyncRecord.objects.filter(updated_at__gte=_aware(since), status__in=statuses)
    if actions:
        rows = rows.filter(action__in=actions)
    fields = (
        "flow__slug",
        "source_id",
        "source_number",
        "source_modified_at",
        "run__started_at",
        "updated_at",
    )
    found = {}
    for flow, source_id, number, version, started, written in rows.values_list(*fields):
        key = source_id if dict(FLOW_OF.values()).get(flow) == "source_id" else number
        version = version or started  # a log that does not say which version it read
        found.setdefault((flow, key), []).append(
            (version.timestamp() if version else 0.0, written.timestamp())
        )
    return found


def _starts(found):
    return {key: [started for started, _logged in rows] for key, rows in found.items()}


def echoes(runs, changes):
    """Webhook runs whose ids were all last changed by our own write-backs."""
    webhook = runs.filter(trigger=Trigger.WEBHOOK).exclude(started_at=None)
    shaped = [(run.pk, run.started_at.timestamp(), run.options.get("ids") or []) for run in webhook]
    people = {}
    for _api, object_id, ms in changes:
        people.setdefault(object_id, []).append(ms / 1000)
    hub = {}
    for record_id, done in WriteBack.objects.filter(status=WriteBackStatus.DONE).values_list(
        "record_id", "done_at"
    ):
        hub.setdefault(record_id, []).append(done.timestamp())
    return soak_figures.echo_runs(shaped, people, hub)


def crm_calls_of(runs):
    """Fxiaoke calls the runs counted (``api_calls`` is ``{connector slug: {operation: n}}``)."""
    total = 0
    for calls in runs.values_list("api_calls", flat=True):
        total += sum((calls or {}).get(workload.CRM_SLUG, {}).values())
    return total


def _lag_by_direction(changes, values, failed):
    by_flow = {}
    for (flow, _id, _at), value, refused in zip(changes, values, failed, strict=True):
        by_flow.setdefault(flow, []).append((value, refused))
    crm = [pair for flow in CRM_TO_ERP for pair in by_flow.get(flow, [])]
    erp = [pair for flow, found in by_flow.items() if flow not in CRM_TO_ERP for pair in found]
    return {
        "crm_to_erp": _summary(crm),
        "erp_to_crm": _summary(erp),
        "per_flow": {flow: _summary(found) for flow, found in sorted(by_flow.items())},
    }


def _summary(pairs):
    return soak_figures.lag_summary([value for value, _f in pairs], [refused for _v, refused in pairs])


def _counts(changes):
    counts = {}
    for flow, _id, _at in changes:
        counts[flow] = counts.get(flow, 0) + 1
    return counts


def _aware(seconds):
    return datetime.fromtimestamp(seconds, UTC)


STEPS = {"soak_setup": soak_setup, "soak_drive": soak_drive, "soak_collect": soak_collect}
