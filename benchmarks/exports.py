"""``manage.py benchmark --exports``: how long the console takes to hand finance an audit file.

On a fresh hub database of its own, ``rows`` runs, records and cross-references are written,
then each audit export is asked for in CSV and in XLSX through the admin's export view, each
request in a fresh process, two ways:

- **inline**: the background threshold (``INTEGRATION_HUB_EXPORT_IN_BACKGROUND_ROWS``) is set
  above ``rows``, so the answer to the request is the file; its time is the request's;
- **background**: the threshold is below ``rows`` (the default one, or ``rows`` − 1 for a small
  run), so the request is answered with the progress page and the file is built by the task a
  worker runs (``syncjobs.tasks.build_export``, called in the same process); its time to ready
  is the two together, without the queue's delay before a worker picks the task up.
"""

import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

from benchmarks import export_targets
from benchmarks.processes import StepRunner

HUB = "exports"
MODELS = ("syncrun", "syncrecord", "crossreference")
FORMATS = ("csv", "xlsx")
THRESHOLD = "INTEGRATION_HUB_EXPORT_IN_BACKGROUND_ROWS"


@dataclass(frozen=True)
class ExportOptions:
    """``rows`` runs, records and cross-references; the target is stated for 15,000."""

    rows: int = export_targets.TARGET_ROWS
    work_dir: str = ""
    keep: bool = False
    profile: bool = False


class ExportBenchmark:
    """Times every audit export in both formats, inline and in the background; returns the report."""

    def __init__(self, options, say=print):
        self.options = options
        self.say = say
        self.work_dir = Path(options.work_dir or tempfile.mkdtemp(prefix="integration-hub-exports-"))
        profile = {"INTEGRATION_HUB_BENCHMARK_PROFILE": "1"} if options.profile else {}
        self.steps = StepRunner(self.work_dir, env=profile)

    def run(self):
        started = time.monotonic()
        rows = self.options.rows
        try:
            self.say(_("Writing %(rows)s runs, records and cross-references…") % {"rows": rows})
            created = self.steps.run("export_setup", HUB, {"rows": rows})
            measured = [self._inline(m, f) for m in MODELS for f in FORMATS]
            measured += [self._background(m, f) for m in MODELS for f in FORMATS]
        finally:
            if not (self.options.keep or self.options.profile):
                shutil.rmtree(self.work_dir, ignore_errors=True)
        return export_targets.report(self.options, created, measured, time.monotonic() - started)

    def _inline(self, model, file_format):
        self.say(_("Export %(model)s as %(format)s, inline…") % {"model": model, "format": file_format})
        spec = {"model": model, "format": file_format}
        result = self.steps.run("export_inline", HUB, spec, **{THRESHOLD: self.options.rows})
        return {**spec, "path": "inline", **result}

    def _background(self, model, file_format):
        self.say(
            _("Export %(model)s as %(format)s, in the background…") % {"model": model, "format": file_format}
        )
        spec = {"model": model, "format": file_format}
        threshold = min(settings.INTEGRATION_HUB_EXPORT_IN_BACKGROUND_ROWS, self.options.rows - 1)
        result = self.steps.run("export_background", HUB, spec, **{THRESHOLD: threshold})
        return {**spec, "path": "background", "threshold": threshold, **result}
