"""``manage.py benchmark`` end to end at a small size: every phase runs and is reported.

Speed targets belong to the benchmark itself (at its default size), never to tests: this only
checks that the phases run against a real sandbox process, that the figures are computed
from the sandbox's call log and the steps' own measurements, and that the report holds them.
"""

import json

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.slow

PHASES = [
    "initial load",
    "settling run",
    "1% changed",
    "nothing changed",
    "naive, one record at a time",
    "rate limits on, write-back on",
]


def test_the_benchmark_runs_every_phase_and_reports_it(tmp_path, capsys):
    report_path = tmp_path / "benchmark.json"

    call_command(
        "benchmark",
        records=500,
        latency_ms=0,
        naive_records=20,
        limited_records=20,
        memory_records=0,
        overlap_seconds=1,
        json=str(report_path),
        work_dir=str(tmp_path / "work"),
    )

    report = json.loads(report_path.read_text())
    rows = {row["phase"]: row for row in report["rows"]}
    assert list(rows) == PHASES
    initial = rows["initial load"]
    assert initial["records"] == 750  # 500 customers and 250 orders
    assert 0 < initial["k3cloud_calls_per_record"] < 0.2 and initial["fxiaoke_calls_per_record"] > 0
    assert (
        initial["engine_cpu_seconds"] > 0 and initial["api_wait_seconds"] > 0 and initial["peak_rss_mb"] > 50
    )
    assert rows["1% changed"]["records"] == 8 and rows["1% changed"]["edited"] == {
        "AccountObj": 5,
        "SalesOrderObj": 3,
    }
    assert rows["nothing changed"]["records"] == 0 and report["no_change_read_calls_per_flow"] == [1, 1]
    naive = rows["naive, one record at a time"]
    assert naive["records"] >= 20 and naive["k3cloud_calls_per_record"] == pytest.approx(1, abs=0.1)
    limited = rows["rate limits on, write-back on"]
    assert limited["records"] == 30 and limited["per_interface"]["/cgi/crm/v2/data/update"] == 20
    assert limited["lower_bound_seconds"] == 0  # twenty write-backs fit in one window of the limit
    assert {check["target"] for check in report["targets"]} >= {"speedup", "k3cloud_calls_per_record"}
    assert report["machine"]["cpus"] >= 1
    printed = capsys.readouterr().out
    assert "| " in printed and str(report["options"]["latency_ms"]) in printed
    assert not (tmp_path / "work").exists()  # removed unless --keep
