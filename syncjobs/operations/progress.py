"""How far runs are: records done of expected, rate, time left and phase, for self-refreshing pages.

Each reader answers in one query for any number of runs or flows; the pages poll it.
"""

from django.utils import timezone
from django.utils.translation import gettext as _

from syncjobs.models import RunPhase, RunStatus, SyncRun
from syncjobs.operations.control import HELD_UNTIL

ACTIVE = (RunStatus.QUEUED, RunStatus.RUNNING, RunStatus.PAUSED)
FINISHED = (RunStatus.SUCCEEDED, RunStatus.PARTIAL, RunStatus.FAILED)
_FIELDS = (
    "pk",
    "flow_id",
    "status",
    "phase",
    "started_at",
    "finished_at",
    "resume_after",
    "read_count",
    "progress_done",
    "progress_total",
    "failed_count",
    "message",
    "message_params",
)


def progress_of(run, now=None):
    """A JSON-ready dict: counts, percentage, records per second and seconds left for ``run``."""
    now = now or timezone.now()
    done, total = run.progress_done, run.progress_total
    rate = _rate(run, now)
    percent = _percent(run, done, total)
    eta = None
    if rate and total is not None and run.status == RunStatus.RUNNING:
        eta = round(max(total - done, 0) / rate)
    return {
        "run": run.pk,
        "flow": run.flow_id,
        "status": run.status,
        "status_label": str(RunStatus(run.status).label),
        "phase": run.phase,
        "phase_label": str(RunPhase(run.phase).label),
        "held": run.status == RunStatus.PAUSED and run.resume_after == HELD_UNTIL,
        "finished": run.status in FINISHED,
        "read": run.read_count,
        "done": done,
        "total": total,
        "failed": run.failed_count,
        "percent": percent,
        "rate": round(rate, 2) if rate is not None else None,
        "eta_seconds": eta,
        "text": describe(run.status, run.phase, done, total, run.read_count, rate, eta),
        "message": run.message_text,
    }


def _rate(run, now):
    """Records finished per second since the run started (None before any is done)."""
    if run.started_at is None or not run.progress_done:
        return None
    seconds = ((run.finished_at or now) - run.started_at).total_seconds()
    return run.progress_done / seconds if seconds > 0 else None


def _percent(run, done, total):
    if run.status in FINISHED:
        return 100
    if not total:
        return None if total is None else 100
    return min(100, int(done * 100 / total))


def describe(status, phase, done, total, read, rate, eta):
    """One line a person reads: "120 of 500 records · 8.5/s · about 45 s left"."""
    if status == RunStatus.QUEUED:
        return _("Waiting for a worker")
    if phase == RunPhase.READING and total is None:
        return _("Reading the source: %(read)s records so far") % {"read": read}
    parts = [
        _("%(done)s of %(total)s records") % {"done": done, "total": total if total is not None else "?"}
    ]
    if rate:
        parts.append(_("%(rate)s/s") % {"rate": f"{rate:.1f}"})
    if eta is not None:
        parts.append(_("about %(seconds)s s left") % {"seconds": eta})
    return " · ".join(parts)


def runs_progress(run_ids, now=None):
    """``{run id: progress}`` for the given runs, in one query."""
    runs = SyncRun.objects.filter(pk__in=list(run_ids)).only(*_FIELDS)
    return {run.pk: progress_of(run, now) for run in runs}


def flows_progress(flow_ids, now=None):
    """``{flow id: progress}`` of each flow's current run (running first, then the oldest waiting).

    Flows with no unfinished run are absent. One query.
    """
    current = {}
    runs = SyncRun.objects.filter(flow_id__in=list(flow_ids), status__in=ACTIVE).only(*_FIELDS).order_by("id")
    for run in runs:
        chosen = current.get(run.flow_id)
        if chosen is None or (run.status == RunStatus.RUNNING and chosen.status != RunStatus.RUNNING):
            current[run.flow_id] = run
    return {flow_id: progress_of(run, now) for flow_id, run in current.items()}
