"""The soak's figures against its targets, as one JSON-able dict and as a table a person reads.

*Fxiaoke calls per CRM edit* are every Fxiaoke call the CRM → ERP flows' runs counted
(webhook and scheduled runs alike: reads, lookups, notices) plus the write-backs sent during
the stream and the settling, divided by the CRM edits. *API calls per change* are every call
the sandboxes logged for the tenant pair in that time (both directions, token requests
included) divided by every change, CRM edits and ERP bills.
"""

from dataclasses import asdict

from django.utils.translation import gettext as _

from benchmarks import soak_figures
from benchmarks.report import _cell, machine_values
from benchmarks.targets import _check, machine

QUEUED_RUNS_PER_FLOW = 1
ECHO_RUNS = 0
LAG_MARGIN_SECONDS = 30
FXIAOKE_CALLS_PER_CRM_EDIT = 1.5


def report(options, result, seconds):
    """Everything the soak measured, with each target met or missed."""
    drive, collected = result["drive"], result["collected"]
    figures = soak_figures_of(drive, collected, result["calls"])
    return {
        "machine": machine(),
        "options": asdict(options),
        "figures": figures,
        "lag": collected["lag"],
        "backlog": collected["backlog"],
        "runs_by_trigger": collected["runs"],
        "erp_actions": _erp_totals(drive["erp_actions"]),
        "targets": checks(figures, options),
        "seconds": round(seconds, 1),
    }


def soak_figures_of(drive, collected, calls):
    changes = sum(collected["changes"].values())
    crm_edits = len(drive["changes"])
    queued, busiest = soak_figures.most_queued(drive["samples"])
    runs = sum(collected["runs"].values())
    crm_lag = collected["lag"]["crm_to_erp"]
    return {
        "changes": changes,
        "crm_edits": crm_edits,
        "erp_changes": changes - crm_edits,
        "crm_to_erp_lag_p50": crm_lag["p50_seconds"],
        "crm_to_erp_lag_p95": crm_lag["p95_seconds"],
        "crm_to_erp_lag_max": crm_lag["max_seconds"],
        "erp_to_crm_lag_p50": collected["lag"]["erp_to_crm"]["p50_seconds"],
        "erp_to_crm_lag_p95": collected["lag"]["erp_to_crm"]["p95_seconds"],
        "erp_to_crm_lag_max": collected["lag"]["erp_to_crm"]["max_seconds"],
        "unwritten_changes": collected["backlog"]["unwritten"],
        "failed_changes": crm_lag["failed"] + collected["lag"]["erp_to_crm"]["failed"],
        "most_queued_runs_per_flow": queued,
        "most_queued_flow": busiest,
        "runs": runs,
        "runs_per_change": soak_figures.per_change(runs, changes),
        "api_calls_per_change": soak_figures.per_change(sum(calls.values()), changes),
        "k3cloud_calls": calls.get("k3cloud", 0),
        "fxiaoke_calls": calls.get("fxiaoke", 0),
        "fxiaoke_calls_per_crm_edit": soak_figures.per_change(
            collected["crm_calls_of_crm_flows"] + collected["write_backs"], crm_edits
        ),
        "echo_runs": collected["echo_runs"],
        "lag_slope_last_third": collected["backlog"]["lag_slope"],
        "backlog_grows": collected["backlog"]["grows"],
    }


def checks(figures, options):
    """The issue's targets; the lag's limit is the flows' schedule interval plus 30 s."""
    lag_limit = 60 * options.schedule_minutes + LAG_MARGIN_SECONDS
    return [
        _check("most_queued_runs_per_flow", figures["most_queued_runs_per_flow"], QUEUED_RUNS_PER_FLOW),
        _check("echo_runs", figures["echo_runs"], ECHO_RUNS),
        _check("crm_to_erp_lag_p95", figures["crm_to_erp_lag_p95"], lag_limit),
        _check("backlog_grows", int(figures["backlog_grows"]), 0),
        _check(
            "fxiaoke_calls_per_crm_edit", figures["fxiaoke_calls_per_crm_edit"], FXIAOKE_CALLS_PER_CRM_EDIT
        ),
    ]


def figure_labels():
    return {
        "changes": _("Changes (CRM edits and ERP bills)"),
        "crm_edits": _("CRM edits"),
        "erp_changes": _("ERP deliveries and receipts"),
        "crm_to_erp_lag_p50": _("CRM → ERP lag p50, s"),
        "crm_to_erp_lag_p95": _("CRM → ERP lag p95, s"),
        "crm_to_erp_lag_max": _("CRM → ERP lag max, s"),
        "erp_to_crm_lag_p50": _("ERP → CRM lag p50, s"),
        "erp_to_crm_lag_p95": _("ERP → CRM lag p95, s"),
        "erp_to_crm_lag_max": _("ERP → CRM lag max, s"),
        "unwritten_changes": _("Changes never written"),
        "failed_changes": _(
            "Changes the hub refused for their record (bad data, an order the ERP has shipped)"
        ),
        "most_queued_runs_per_flow": _("Most queued runs of one flow at any sample"),
        "runs": _("Runs"),
        "runs_per_change": _("Runs per change"),
        "api_calls_per_change": _("API calls per change (both systems)"),
        "fxiaoke_calls_per_crm_edit": _("Fxiaoke calls per CRM edit, write-back included"),
        "echo_runs": _("Runs started by our own writes"),
        "lag_slope_last_third": _("Lag slope over the last third, s per s"),
        "backlog_grows": _("Backlog grows (1 = yes)"),
    }


def table(report):
    """Every figure in one Markdown table, with the target beside the figures that have one."""
    by_key = {check["target"]: check for check in report["targets"]}
    header = (_("figure"), _("measured"), _("target"), "")
    lines = ["| " + " | ".join(header) + " |", "|---|---|---|---|"]
    for key, label in figure_labels().items():
        value = report["figures"][key]
        value = int(value) if isinstance(value, bool) else value
        check = by_key.get(key)
        limit, mark = ("", "") if check is None else _limit_and_mark(check)
        if key == "most_queued_runs_per_flow" and report["figures"]["most_queued_flow"]:
            value = f"{value} ({report['figures']['most_queued_flow']})"
        lines.append(f"| {label} | {_cell(value)} | {limit or '–'} | {mark} |")
    return "\n".join(lines)


def _limit_and_mark(check):
    limit = ("≥ " if check["at_least"] else "≤ ") + f"{check['limit']:g}"
    mark = "–" if check["met"] is None else _("met") if check["met"] else _("MISSED")
    return limit, mark


def machine_line(report):
    machine_, options = report["machine"], report["options"]
    return _(
        "Machine: %(cpus)s CPUs (%(cpu)s), %(memory)s GB RAM, %(system)s, Python %(python)s, SQLite "
        "%(sqlite)s; load average at the end %(load)s. %(customers)s customers loaded first; %(rate)s "
        "CRM edits a second for %(minutes)s minutes; %(workers)s workers; latency %(latency)s ms per "
        "call; schedules every %(schedule)s min; whole soak %(seconds)s s."
    ) % {
        **machine_values(machine_),
        "customers": options["customers"],
        "rate": options["rate"],
        "minutes": options["minutes"],
        "workers": options["workers"],
        "latency": options["latency_ms"],
        "schedule": options["schedule_minutes"],
        "seconds": report["seconds"],
    }


def _erp_totals(actions):
    totals = {}
    for action in actions:
        for key, value in action.items():
            if key not in ("at", "tenants") and isinstance(value, int):
                totals[key] = totals.get(key, 0) + value
    return totals
