"""From step results and call logs to the benchmark's figures, one row per phase."""

import math
from collections import Counter
from dataclasses import dataclass, field

READ_OPERATIONS = ("/cgi/crm/v2/data/query", "/cgi/crm/v2/data/get", "ExecuteBillQuery", "BillQuery", "View")
TOKEN_PATH = "/cgi/corpAccessToken/get/V2"


@dataclass
class Phase:
    """One measured phase: the results of its steps and the calls the sandboxes logged."""

    name: str
    results: list
    calls: dict  # {system: [call log entries]}
    records: int = 0
    extra: dict = field(default_factory=dict)

    @property
    def measurements(self):
        return [result["measurement"] for result in self.results if "measurement" in result]

    def total(self, name):
        return sum(m[name] for m in self.measurements)

    def peak_rss_mb(self):
        return max((m["peak_rss_mb"] for m in self.measurements), default=0.0)

    def calls_of(self, system, operations=None):
        return [c for c in self.calls.get(system, []) if operations is None or c["operation"] in operations]

    def operations(self, system):
        return dict(Counter(c["operation"] for c in self.calls.get(system, [])))


def records_read(results):
    """Records the runs of a phase read (what they had to process)."""
    return sum(result.get("read", 0) for result in results)


def row(phase, naive_rate=None):
    """The phase as a table row (``None`` where a figure does not apply)."""
    wall = phase.total("wall_seconds")
    records = phase.records
    rate = records / wall if records and wall else None
    return {
        "phase": phase.name,
        "records": records,
        "wall_seconds": round(wall, 2),
        "records_per_second": round(rate, 1) if rate else None,
        "k3cloud_calls_per_record": _per_record(len(phase.calls_of("k3cloud")), records),
        "fxiaoke_calls_per_record": _per_record(len(phase.calls_of("fxiaoke")), records),
        "k3cloud_calls": len(phase.calls_of("k3cloud")),
        "fxiaoke_calls": len(phase.calls_of("fxiaoke")),
        "engine_cpu_seconds": round(phase.total("cpu_seconds"), 2),
        "api_wait_seconds": round(phase.total("api_wait_seconds"), 2),
        "peak_rss_mb": round(phase.peak_rss_mb(), 1),
        "speedup": round(rate / naive_rate, 1) if rate and naive_rate else None,
    }


def _per_record(calls, records):
    return round(calls / records, 4) if records else None


def read_calls_per_flow(phase):
    """Read calls each step (one flow each) of the phase made."""
    return [
        sum(1 for system in result["calls"].values() for c in system if c["operation"] in READ_OPERATIONS)
        for result in phase.results
    ]


def rate_limit_lower_bound(calls, limit, window_seconds, token_limit=10, token_window=60.0):
    """The least time the CRM's limits allow for ``calls``.

    An interface admits ``limit`` calls in any window of ``window_seconds``: n calls need at
    least (⌈n ÷ limit⌉ − 1) windows — for large n the calls needed ÷ the calls allowed per
    second. Interfaces have separate budgets, so the busiest one sets the bound. Returns
    (seconds, busiest interface, calls per interface).
    """
    per_interface = Counter(c["operation"] for c in calls)
    seconds = {}
    for operation, count in per_interface.items():
        allowed, window = (token_limit, token_window) if operation == TOKEN_PATH else (limit, window_seconds)
        seconds[operation] = (math.ceil(count / allowed) - 1) * window
    busiest = max(seconds, key=seconds.get, default=None)
    return seconds.get(busiest, 0.0), busiest, dict(per_interface)


def busiest_window(stamps, window_seconds):
    """The most of ``stamps`` (sorted seconds) that fall within any ``window_seconds``."""
    most, start = 0, 0
    for end, stamp in enumerate(stamps):
        while stamp - stamps[start] >= window_seconds:
            start += 1
        most = max(most, end - start + 1)
    return most
