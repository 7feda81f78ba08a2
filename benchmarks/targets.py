"""The issue's targets checked against the measured phases, and the report as one dict."""

import os
import platform
import sqlite3

from benchmarks import figures

SPEEDUP = 25.0
K3CLOUD_CALLS_PER_RECORD = 0.05
NO_CHANGE_SECONDS = 1.0
ENGINE_TO_WAIT_RATIO = 2.0
RSS_GROWTH_MB = 50.0
LOWER_BOUND_MARGIN = 1.2


def report(options, phases, memory, scale, seconds):
    """Everything measured, with the targets met or missed, as a JSON-able dict."""
    by_name = {phase.name: phase for phase in phases}
    naive = next(phase for phase in phases if phase.name.startswith("naive"))
    naive_rate = figures.row(naive)["records_per_second"]
    rows = [_row(phase, naive_rate) for phase in phases]
    if memory:
        rows.append({**memory["row"], "baseline_records": memory["baseline_records"]})
    return {
        "machine": machine(),
        "options": {name: getattr(options, name) for name in options.__dataclass_fields__},
        "rows": rows,
        "no_change_read_calls_per_flow": figures.read_calls_per_flow(by_name["nothing changed"]),
        "memory": {k: v for k, v in memory.items() if k != "row"} if memory else None,
        "scale_out": scale,
        "targets": checks(rows, by_name, memory) + scale_checks(scale),
        "seconds": round(seconds, 1),
    }


def _row(phase, naive_rate):
    row = figures.row(phase, naive_rate)
    row["operations"] = {system: phase.operations(system) for system in ("k3cloud", "fxiaoke")}
    row.update(phase.extra)
    return row


def checks(rows, phases, memory):
    """Each target: what was measured, the limit, and whether it was met."""
    row = {r["phase"]: r for r in rows}
    initial, quiet, limited = (
        row["initial load"],
        row["nothing changed"],
        row["rate limits on, write-back on"],
    )
    reads = figures.read_calls_per_flow(phases["nothing changed"])
    found = [
        _check("speedup", initial["speedup"], SPEEDUP, at_least=True),
        _check("k3cloud_calls_per_record", initial["k3cloud_calls_per_record"], K3CLOUD_CALLS_PER_RECORD),
        _check("no_change_seconds", quiet["wall_seconds"], NO_CHANGE_SECONDS),
        _check("no_change_read_calls", max(reads, default=0), 1),
        _check(
            "engine_cpu_to_api_wait",
            _ratio(initial["engine_cpu_seconds"], initial["api_wait_seconds"]),
            ENGINE_TO_WAIT_RATIO,
        ),
        _check(
            "rate_limited_to_lower_bound",
            _ratio(limited["wall_seconds"], limited.get("lower_bound_seconds")),
            LOWER_BOUND_MARGIN,
        ),
    ]
    if memory:
        growth = memory["peak_rss_mb"] - memory["baseline_peak_rss_mb"]
        found.append(_check("peak_rss_growth_mb", growth, RSS_GROWTH_MB))
    return found


def scale_checks(scale):
    """The scale-out's promises: batches shared and each processed once, nothing twice in the
    ERP, the CRM's limit held across every worker."""
    if not scale:
        return []
    sharing, targets = scale["sharing"], scale["targets"]
    duplicated = sum(form["duplicated"] for form in targets.values())
    return [
        _check("scale_processes", len(sharing["batches_per_process"]), 2, at_least=True),
        _check(
            "scale_batches_twice", sharing["batches_claimed_twice"] + sharing["records_processed_twice"], 0
        ),
        _check("scale_duplicates", duplicated, 0),
        _check("scale_busiest_window", scale["crm_limit"]["busiest_window"], scale["crm_limit"]["limit"]),
        _check("scale_refusals", scale["crm_refusals"], 0),
    ]


def _check(key, value, limit, at_least=False):
    """``met`` is None when the figure does not apply (e.g. a load too small to meet a limit)."""
    met = None if value is None else (value >= limit if at_least else value <= limit)
    value = round(value, 3) if isinstance(value, float) else value
    return {"target": key, "value": value, "limit": limit, "at_least": at_least, "met": met}


def _ratio(value, base):
    return value / base if value is not None and base else None


def machine():
    """What the figures were measured on (they mean little without it)."""
    return {
        "cpus": os.cpu_count(),
        "cpu": _cpu_model(),
        "memory_gb": _memory_gb(),
        "load_average_at_end": [round(x, 2) for x in os.getloadavg()],
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "system": f"{platform.system()} {platform.release()}",
    }


def _cpu_model():
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            for line in info:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _memory_gb():
    try:
        return round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 1024**3, 1)
    except (ValueError, OSError, AttributeError):
        return None
