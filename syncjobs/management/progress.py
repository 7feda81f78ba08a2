"""Terminal output for commands that run flows: a progress bar per run, plain tables.

On a terminal the bar redraws in place after every batch; elsewhere (CI logs, tests) only
the final line is written, so logs stay readable.
"""

import unicodedata

from django.utils.translation import gettext as _

from syncjobs.models import SyncRun
from syncjobs.operations.progress import progress_of

BAR_WIDTH = 24


class ProgressBar:
    """Records done of those read, as a bar with the rate, for one flow's run."""

    def __init__(self, stream, label, interactive):
        self.stream = stream
        self.label = label
        self.interactive = interactive
        self.last = ""

    def __call__(self, run):
        """Redraw from the run's stored counters (the engine updates them in the database)."""
        if self.interactive:
            self.last = self.line(SyncRun.objects.get(pk=run.pk))
            self.stream.write("\r" + self.last, ending="")
            self.stream.flush()

    def finish(self, run):
        line = self.line(run)
        padding = " " * max(0, width(self.last) - width(line))
        self.stream.write(("\r" if self.interactive else "") + line + padding)

    def line(self, run):
        progress = progress_of(run)
        done, total = progress["done"], progress["total"] or progress["read"]
        filled = BAR_WIDTH if not total else min(BAR_WIDTH, BAR_WIDTH * done // total)
        bar = "#" * filled + "." * (BAR_WIDTH - filled)
        rate = _("%(rate)s/s") % {"rate": progress["rate"]} if progress["rate"] else ""
        return f"  {self.label:<20} [{bar}] {done}/{total}  {rate}  {progress['status_label']}"


def width(text):
    """Terminal columns ``text`` takes: wide (CJK) characters take two."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in str(text))


def table(headers, rows):
    """Lines of a plain text table: first column left-aligned, the others right-aligned."""
    rows = [[str(cell) for cell in row] for row in rows]
    widths = [max(width(cell) for cell in column) for column in zip(headers, *rows, strict=True)]
    lines = []
    for row in [list(headers), *rows]:
        cells = [_pad(cell, widths[i], left=(i == 0)) for i, cell in enumerate(row)]
        lines.append("  ".join(cells).rstrip())
    return lines


def _pad(cell, size, left):
    space = " " * (size - width(cell))
    return cell + space if left else space + cell
