"""Each benchmark step in a fresh process of its own, with its own hub database."""

import json
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

from benchmarks.sandbox import child_environment


class StepFailed(RuntimeError):
    """A step's process failed; the message ends with the tail of its log."""


class StepRunner:
    """Runs steps under ``work_dir``: one hub (data folder and SQLite files) per name."""

    def __init__(self, work_dir, env=None):
        self.work_dir = Path(work_dir)
        self.env = env or {}
        self.count = 0

    def hub_dir(self, hub):
        path = self.work_dir / f"hub-{hub}"
        path.mkdir(parents=True, exist_ok=True)
        return path

    def run(self, step, hub, spec, **env):
        """Run ``step`` with ``spec`` against hub ``hub``; its result (a dict)."""
        self.count += 1
        folder = self.hub_dir(hub)
        stem = folder / f"{self.count:02d}-{step}"
        spec_path, result_path, log_path = (
            stem.with_suffix(s) for s in (".spec.json", ".result.json", ".log")
        )
        spec_path.write_text(json.dumps(spec, ensure_ascii=False), encoding="utf-8")
        with open(log_path, "wb") as log:
            completed = subprocess.run(
                [sys.executable, "-m", "benchmarks.child", step, str(spec_path), str(result_path)],
                cwd=settings.BASE_DIR,
                env=child_environment(folder, **{**self.env, **env}),
                stdout=log,
                stderr=subprocess.STDOUT,
                check=False,
            )
        if completed.returncode != 0:
            tail = log_path.read_text(encoding="utf-8", errors="replace")[-3000:]
            raise StepFailed(
                _("Benchmark step %(step)s failed (exit status %(status)s); its log, %(log)s, ends with:")
                % {"step": step, "status": completed.returncode, "log": log_path}
                + "\n"
                + tail
            )
        return json.loads(result_path.read_text(encoding="utf-8"))
