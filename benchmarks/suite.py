"""The benchmark's phases in order, against one sandbox server, each step in its own process.

1. Engine: the initial load (customers, then orders with their lines, CRM → ERP; no rate
   limits, no write-back), a settling run, a run after 1% of the records changed, a run
   with nothing changed.
2. The naive way over a twin of the same business.
3. The initial load with the CRM's default rate limits and the write-back on.
4. Peak memory of the customers load at ``memory_records`` against ``records``.
5. Optionally the scale-out: PostgreSQL, Redis and several ``qcluster`` processes.
"""

import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from benchmarks import figures, targets
from benchmarks.figures import Phase
from benchmarks.processes import StepRunner
from benchmarks.sandbox import SandboxProcess, TenantCalls
from benchmarks.workload import LOAD_FLOWS, UNLIMITED
from syncjobs.engine.options import FlowOptions

LINES_PER_ORDER = 3
# The CRM's default limits (100 calls per 20 s per interface, 10 token requests a minute).
CRM_LIMIT, CRM_WINDOW_SECONDS, CRM_TOKEN_LIMIT = 100, 20, 10
UNLIMITED_CRM = {"rate_limit": UNLIMITED, "token_limit_per_minute": UNLIMITED}
DEFAULT_CRM_LIMITS = {
    "rate_limit": CRM_LIMIT,
    "rate_window_seconds": CRM_WINDOW_SECONDS,
    "token_limit_per_minute": CRM_TOKEN_LIMIT,
}


@dataclass(frozen=True)
class Options:
    """What to measure. ``records`` customers and half as many orders of three lines."""

    records: int = 10_000
    latency_ms: int = 20
    batch_size: int = 200
    naive_records: int | None = None  # None: the whole load
    limited_records: int | None = None  # None: the whole load
    memory_records: int = 100_000  # 0: skip the memory comparison
    overlap_seconds: float | None = None  # None: the flows' default
    budget_share: float = 0.95
    threads: int = 1  # threads of each ``sync`` step (``manage.py sync --threads``)
    scale_out: int = 0
    postgres_url: str = "postgres://postgres@127.0.0.1:5432/postgres"
    redis_url: str = "redis://127.0.0.1:6379/13"
    work_dir: str = ""
    keep: bool = False
    profile: bool = False

    @property
    def orders(self):
        return self.records // 2


class Benchmark:
    """Runs every phase and returns the report (a JSON-able dict)."""

    def __init__(self, options, say=print):
        self.options = options
        self.say = say
        self.work_dir = Path(options.work_dir or tempfile.mkdtemp(prefix="integration-hub-benchmark-"))
        self.steps = StepRunner(self.work_dir, env=self.profile_env)
        self.sandbox = None

    @property
    def profile_env(self):
        return {"INTEGRATION_HUB_BENCHMARK_PROFILE": "1"} if self.options.profile else {}

    def run(self):
        started = time.monotonic()
        try:
            with SandboxProcess(self.work_dir / "sandbox") as self.sandbox:
                phases = self._engine()
                phases.append(self._naive())
                phases.append(self._limited())
                memory = self._memory()
                scale = self._scale_out()
        finally:
            if not self.options.keep:
                shutil.rmtree(self.work_dir, ignore_errors=True)
        return targets.report(self.options, phases, memory, scale, time.monotonic() - started)

    # --- set-up --------------------------------------------------------------------------
    def _latency(self, on):
        for system in ("k3cloud", "fxiaoke"):
            self.sandbox.set_faults(system, latency_ms=self.options.latency_ms if on else 0)

    def tenants(
        self, hub, customers, orders, write_back=False, settle=True, steps=None, options=None, match=True
    ):
        """A freshly seeded tenant pair and a hub connected to it (set up without latency).

        ``steps``: the runner of the hub's processes (another database); ``options``: engine
        options for every flow; ``match`` False: flows without match keys.
        """
        self._latency(False)
        self.sandbox.set_faults("fxiaoke", **UNLIMITED_CRM)
        self.say(
            _("Seeding %(customers)s customers and %(orders)s orders (%(hub)s)…")
            % {"customers": customers, "orders": orders, "hub": hub}
        )
        tenants = self.sandbox.seed(customers, orders, LINES_PER_ORDER)
        spec = {
            "base_url": self.sandbox.base_url,
            "tenants": tenants,
            "batch_size": self.options.batch_size,
            "write_back": write_back,
            "rate_limit": UNLIMITED,
            "budget_share": self.options.budget_share,
            "settle": settle,
            "match": match,
            "options": {**self._overlap_option(), **(options or {})},
        }
        (steps or self.steps).run("setup", hub, spec)
        calls = TenantCalls(self.sandbox, tenants)
        calls.take()  # the set-up's calls are not part of any phase
        self._latency(True)
        return tenants, calls

    def _overlap_option(self):
        return {"overlap_seconds": self.options.overlap_seconds} if self.options.overlap_seconds else {}

    def _flows(self, name, hub, calls, flows=LOAD_FLOWS, **spec):
        results = []
        for slug in flows:
            self.say(_("%(phase)s: flow %(flow)s…") % {"phase": _(name), "flow": slug})
            result = self.steps.run("run_flow", hub, {"flow": slug, "threads": self.options.threads, **spec})
            result["calls"] = calls.take()
            results.append(result)
        phase = Phase(name, results, _merged(results))
        phase.records = figures.records_read(results)
        return phase

    # --- the phases ------------------------------------------------------------------------
    def _engine(self):
        options = self.options
        _tenants, calls = self.tenants("engine", options.records, options.orders)
        seeded = time.monotonic()
        phases = [self._flows(gettext_noop("initial load"), "engine", calls)]
        # A flow's pulls start an overlap window before its watermark until a read comes
        # later than that window: time passes between polls, as in production, so the
        # settling run absorbs the seeding and the run after the edits sees only them.
        self._wait_past_overlap(seeded)
        phases.append(self._flows(gettext_noop("settling run"), "engine", calls))
        self._latency(False)
        edited = self.steps.run("edit", "engine", {"share": 0.01, "stamp": "bench"})
        calls.take()
        self._latency(True)
        self._wait_past_overlap(time.monotonic())
        # xgettext:no-python-format
        incremental = self._flows(gettext_noop("1% changed"), "engine", calls)
        incremental.extra["edited"] = edited["changed"]
        phases.append(incremental)
        phases.append(self._flows(gettext_noop("nothing changed"), "engine", calls))
        return phases

    def _wait_past_overlap(self, since):
        margin = max(1.0, 0.05 * self.overlap_seconds)
        remaining = since + self.overlap_seconds + margin - time.monotonic()
        if remaining > 0:
            self.say(
                _("Waiting %(seconds).0f s for the flows' overlap window to pass…") % {"seconds": remaining}
            )
            time.sleep(remaining)

    @property
    def overlap_seconds(self):
        return self.options.overlap_seconds or FlowOptions.__dataclass_fields__["overlap_seconds"].default

    def _naive(self):
        options = self.options
        _tenants, calls = self.tenants("naive", options.records, options.orders, settle=False)
        limit = options.naive_records
        spec = {"customers": limit, "orders": None if limit is None else limit // 2}
        self.say(_("The naive way: one read and one Save per record…"))
        result = self.steps.run("naive", "naive", spec)
        result["calls"] = calls.take()
        phase = Phase(gettext_noop("naive, one record at a time"), [result], result["calls"])
        phase.records = result["customers"] + result["orders"]
        if limit is not None:
            phase.extra["sample_of"] = options.records + options.orders
        return phase

    def _limited(self):
        options = self.options
        customers = options.limited_records or options.records
        _tenants, calls = self.tenants("limited", customers, customers // 2, write_back=True)
        self.sandbox.set_faults("fxiaoke", **DEFAULT_CRM_LIMITS)
        crm = {"rate_limit": CRM_LIMIT, "rate_period_seconds": CRM_WINDOW_SECONDS}
        phase = self._flows(gettext_noop("rate limits on, write-back on"), "limited", calls, crm_limits=crm)
        self.sandbox.set_faults("fxiaoke", **UNLIMITED_CRM)
        bound, busiest, per_interface = figures.rate_limit_lower_bound(
            phase.calls_of("fxiaoke"), CRM_LIMIT, CRM_WINDOW_SECONDS, CRM_TOKEN_LIMIT
        )
        phase.extra.update(lower_bound_seconds=round(bound, 1), busiest=busiest, per_interface=per_interface)
        return phase

    def _memory(self):
        """Peak memory of the customers load at ``records`` and at ``memory_records``.

        Both runs drop the flow's match keys: the simulated ERP answers a lookup by scanning
        every customer it holds, which at 100,000 customers would make this phase take an hour
        for a figure about the hub's memory, which the lookups do not change.
        """
        records = self.options.memory_records
        if not records:
            return None
        runs = {}
        for size in (self.options.records, records):
            hub = f"memory-{size}"
            _tenants, calls = self.tenants(hub, size, 0, settle=False, match=False)
            runs[size] = self._flows(gettext_noop("customers only"), hub, calls, flows=("customers",))
        small, large = runs[self.options.records], runs[records]
        return {
            "records": records,
            "baseline_records": self.options.records,
            "peak_rss_mb": large.peak_rss_mb(),
            "baseline_peak_rss_mb": small.peak_rss_mb(),
            "row": figures.row(large),
        }

    def _scale_out(self):
        if not self.options.scale_out:
            return None
        from benchmarks.scaleout import ScaleOut

        return ScaleOut(self).run()


def _merged(results):
    merged = {}
    for result in results:
        for system, calls in result["calls"].items():
            merged.setdefault(system, []).extend(calls)
    return merged
