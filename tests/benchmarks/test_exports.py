"""``manage.py benchmark --exports`` at a small size: every export is timed both ways and reported.

The five-second target belongs to the benchmark at its default 15,000 rows, never to a test:
this checks that each audit export runs in each format through the console, inline and in the
background, that its file holds every row, and that the report and the table hold the figures.
"""

import json

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.slow
ROWS = 30


def test_the_export_benchmark_times_every_export_both_ways(tmp_path, capsys):
    report_path = tmp_path / "exports.json"

    call_command(
        "benchmark", exports=True, export_rows=ROWS, json=str(report_path), work_dir=str(tmp_path / "work")
    )

    report = json.loads(report_path.read_text())
    assert report["created"] == {"syncrun": ROWS, "syncrecord": ROWS, "crossreference": ROWS}
    measured = {(row["export"], row["format"], row["path"]): row for row in report["rows"]}
    assert set(measured) == {
        (export, file_format, path)
        for export in ("syncrun", "syncrecord", "crossreference")
        for file_format in ("csv", "xlsx")
        for path in ("inline", "background")
    }
    for (_export, _format, path), row in measured.items():
        assert row["rows"] == ROWS and row["rows_done"] == ROWS and row["bytes"] > 0
        assert row["seconds"] > 0 and row["cpu_seconds"] > 0 and row["peak_rss_mb"] > 50
        assert (row["build_seconds"] is None) == (path == "inline")
        assert row["target"]["limit"] == 5 and row["target"]["met"] is None  # 30 rows say nothing of it
    background = measured[("crossreference", "xlsx", "background")]
    assert background["seconds"] == pytest.approx(
        background["answer_seconds"] + background["build_seconds"], abs=0.02
    )
    printed = capsys.readouterr().out
    table = [line for line in printed.splitlines() if line.startswith("|")]
    assert len(table) == 2 + 12 and "Cross-references" in printed and "XLSX" in printed
    assert report["machine"]["cpus"] >= 1 and f"{ROWS} runs, records and cross-references" in printed
    assert not (tmp_path / "work").exists()  # removed unless --keep
