"""The export benchmark's figures against issue #19's target, as one JSON-able dict and as a table.

The target: an export of 15,000 rows ready in 5 s or less, in either format. *Seconds* are the
request's for an inline export (its answer is the file) and the request's plus the build's for a
background one (the time until its download link works).
"""

from django.apps import apps
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from benchmarks.report import machine_values, markdown
from benchmarks.targets import _check, machine

TARGET_ROWS = 15_000
TARGET_SECONDS = 5.0


def report(options, created, measured, seconds):
    """Every export's figures, each with the target met or missed (``None`` below 15,000 rows)."""
    rows = [row(result, created[result["model"]]) for result in measured]
    return {
        "machine": machine(),
        "options": {name: getattr(options, name) for name in options.__dataclass_fields__},
        "created": created,
        "rows": rows,
        "targets": [row["target"] for row in rows],
        "seconds": round(seconds, 1),
    }


def row(result, created):
    """One export: its path, format and rows, the time until the file was ready, what it cost."""
    work = result["measurement"]  # inline: the request; background: the build
    answer = result.get("answer") or work
    background = result["path"] == "background"
    ready = work["wall_seconds"] + (answer["wall_seconds"] if background else 0)
    check = _check("export_seconds", round(ready, 3), TARGET_SECONDS)
    if created < TARGET_ROWS:
        check["met"] = None  # a small run says nothing about the target
    return {
        "export": result["model"],
        "format": result["format"],
        "path": result["path"],
        "rows": result["rows"],
        "rows_done": result.get("rows_done", result["rows"]),
        "bytes": result["bytes"],
        "seconds": round(ready, 2),
        "answer_seconds": round(answer["wall_seconds"], 2),
        "build_seconds": round(work["wall_seconds"], 2) if background else None,
        "cpu_seconds": round(work["cpu_seconds"] + (answer["cpu_seconds"] if background else 0), 2),
        "peak_rss_mb": round(max(work["peak_rss_mb"], answer["peak_rss_mb"]), 1),
        "target": {**check, "export": result["model"], "format": result["format"], "path": result["path"]},
    }


def columns():
    return [
        ("export", _("export")),
        ("format", _("format")),
        ("path", _("how")),
        ("rows", _("rows")),
        ("seconds", _("seconds to the file")),
        ("answer_seconds", _("page answered, s")),
        ("build_seconds", _("file built, s")),
        ("cpu_seconds", _("CPU s")),
        ("kilobytes", _("file KB")),
        ("peak_rss_mb", _("peak RSS MB")),
        ("met", _("≤ %(seconds)g s at %(rows)s rows") % {"seconds": TARGET_SECONDS, "rows": TARGET_ROWS}),
    ]


def table(report):
    """The exports as a Markdown table (for the terminal and the README alike)."""
    return markdown(columns(), [{**measured, **_shown(measured)} for measured in report["rows"]])


def _shown(measured):
    met = measured["target"]["met"]
    return {
        "export": str(capfirst(apps.get_model("syncjobs", measured["export"])._meta.verbose_name_plural)),
        "format": measured["format"].upper(),
        "path": _("inline") if measured["path"] == "inline" else _("in the background"),
        "kilobytes": round(measured["bytes"] / 1024),
        "met": "–" if met is None else _("met") if met else _("MISSED"),
    }


def machine_line(report):
    return _(
        "Machine: %(cpus)s CPUs (%(cpu)s), %(memory)s GB RAM, %(system)s, Python %(python)s, SQLite "
        "%(sqlite)s; load average at the end %(load)s. %(rows)s runs, records and cross-references; "
        "whole benchmark %(seconds)s s."
    ) % {**machine_values(report["machine"]), "rows": report["options"]["rows"], "seconds": report["seconds"]}
