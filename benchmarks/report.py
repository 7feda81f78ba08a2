"""The benchmark's report as a table a person reads (the JSON is ``targets.report``)."""

from django.utils.translation import gettext as _


def columns():
    return [
        ("phase", _("phase")),
        ("records", _("records")),
        ("wall_seconds", _("wall s")),
        ("records_per_second", _("records/s")),
        ("k3cloud_calls_per_record", _("K3Cloud calls/rec")),
        ("fxiaoke_calls_per_record", _("Fxiaoke calls/rec")),
        ("engine_cpu_seconds", _("engine CPU s")),
        ("api_wait_seconds", _("API wait s")),
        ("peak_rss_mb", _("peak RSS MB")),
        ("speedup", _("speed-up")),
        ("note", _("note")),
    ]


def target_labels(report):
    memory = report.get("memory") or {}
    return {
        "speedup": _("Initial load: speed-up over the naive way"),
        "k3cloud_calls_per_record": _("Initial load: K3Cloud calls per record"),
        "no_change_seconds": _("Nothing changed: seconds"),
        "no_change_read_calls": _("Nothing changed: read calls of the busiest flow (paging aside)"),
        "engine_cpu_to_api_wait": _("Initial load: engine CPU time ÷ time waiting on the APIs"),
        "rate_limited_to_lower_bound": _("Rate limits on: time ÷ the limits' lower bound"),
        "peak_rss_growth_mb": _("Peak RSS growth from %(small)s to %(large)s customers, MB")
        % {"small": memory.get("baseline_records"), "large": memory.get("records")},
        "scale_processes": _("Scale-out: worker processes that processed batches"),
        "scale_batches_twice": _("Scale-out: batches or records processed twice"),
        "scale_duplicates": _("Scale-out: records the ERP holds twice"),
        "scale_busiest_window": _("Scale-out: most CRM write-backs in any window of the limit"),
        "scale_refusals": _("Scale-out: calls the CRM refused as too frequent"),
    }


def markdown_table(report, translate=True):
    """The rows as a Markdown table (for the terminal and the README alike)."""
    shown = [
        {**row, "phase": _(row["phase"]) if translate else row["phase"], "note": note(row)}
        for row in report["rows"]
    ]
    return markdown(columns(), shown)


def markdown(headed, rows):
    """``rows`` (dicts) as a Markdown table of the ``headed`` (key, header) columns."""
    header = [label for _key, label in headed]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for row in rows:
        lines.append("| " + " | ".join(_cell(row.get(key)) for key, _label in headed) + " |")
    return "\n".join(lines)


def targets_table(report):
    labels = target_labels(report)
    # Labels outside the f-string: xgettext does not look inside f-strings.
    header = (_("target"), _("measured"), _("limit"), "")
    lines = ["| " + " | ".join(header) + " |", "|---|---|---|---|"]
    for check in report["targets"]:
        limit = ("≥ " if check["at_least"] else "≤ ") + f"{check['limit']:g}"
        mark = "–" if check["met"] is None else _("met") if check["met"] else _("MISSED")
        lines.append(f"| {labels[check['target']]} | {_cell(check['value'])} | {limit} | {mark} |")
    return "\n".join(lines)


def scale_out_table(report):
    """The scale-out run: its figures, how its batches were shared, what the drains did."""
    scale = report["scale_out"]
    row = {**scale["row"], "phase": _("scale-out, %(workers)s workers") % {"workers": scale["workers"]}}
    lines = [markdown_table({"rows": [row]}, translate=False)]
    per_process = ", ".join(f"{count}" for count in sorted(scale["sharing"]["batches_per_process"].values()))
    lines.append(
        _(
            "Batches per worker process: %(counts)s; write-backs sent: %(done)s by up to %(drains)s "
            "drains at once; most write-backs in any %(window)s s: %(busiest)s (limit %(limit)s)."
        )
        % {
            "counts": per_process,
            "done": scale["drains"]["done"],
            "drains": scale["drains"]["most_at_once"],
            "window": scale["crm_limit"]["window_seconds"],
            "busiest": scale["crm_limit"]["busiest_window"],
            "limit": scale["crm_limit"]["limit"],
        }
    )
    return "\n\n".join(lines)  # a blank line ends the table before the sentence


def machine_line(report):
    machine = report["machine"]
    return _(
        "Machine: %(cpus)s CPUs (%(cpu)s), %(memory)s GB RAM, %(system)s, Python %(python)s, SQLite "
        "%(sqlite)s; load average at the end %(load)s. Latency %(latency)s ms per call; batch size "
        "%(batch)s; threads per run %(threads)s; whole benchmark %(seconds)s s."
    ) % {
        **machine_values(machine),
        "latency": report["options"]["latency_ms"],
        "batch": report["options"]["batch_size"],
        "threads": report["options"].get("threads", 1),
        "seconds": report["seconds"],
    }


def machine_values(machine):
    """The machine's figures as the machine lines' parameters."""
    return {
        **machine,
        "memory": machine["memory_gb"],
        "load": " / ".join(str(x) for x in machine["load_average_at_end"]),
    }


def note(row):
    """What a person needs to read a row right."""
    if "sample_of" in row:
        return _("measured on %(records)s of %(total)s records") % {
            "records": row["records"],
            "total": row["sample_of"],
        }
    if "lower_bound_seconds" in row:
        return _("lower bound %(seconds)s s (%(interface)s)") % {
            "seconds": row["lower_bound_seconds"],
            "interface": row["busiest"],
        }
    if "baseline_records" in row:
        return _("peak RSS to compare with the %(records)s-customer run") % {
            "records": row["baseline_records"]
        }
    if "edited" in row:
        return _("%(accounts)s accounts and %(orders)s orders edited") % {
            "accounts": row["edited"].get("AccountObj"),
            "orders": row["edited"].get("SalesOrderObj"),
        }
    return ""


def _cell(value):
    if value is None or value == "":
        return "–"
    if isinstance(value, float):
        return f"{value:g}" if abs(value) >= 0.01 or value == 0 else f"{value:.4f}"
    return str(value)
