"""A run's state changes, each a compare-and-set ``UPDATE`` so concurrent workers agree.

queued → running (reading → writing → done) → succeeded / partial / failed, or paused
(daily quota) and back to running. Whoever moves a run out of ``queued`` (or takes over a
run whose worker went silent) reads its source; every worker may process its batches;
whoever finishes the last batch closes the run and moves the watermark.

Below the run's own changes: the flow's lease (one run at a time reads a flow's source)
and the workers' names and liveness, which decide when a silent run or batch is taken over.
"""

import os
import socket
import uuid
from collections import Counter
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_noop, ngettext_lazy

from syncjobs.engine import batches
from syncjobs.engine.reader import save_incremental_state
from syncjobs.models import BatchStatus, FlowLease, RunPhase, RunStatus, SyncBatch, SyncFlow, SyncRun
from syncjobs.stored_messages import Message, PluralMessage

FINISHED = (RunStatus.SUCCEEDED, RunStatus.PARTIAL, RunStatus.FAILED)
UNFINISHED = (RunStatus.QUEUED, RunStatus.RUNNING, RunStatus.PAUSED)

CLOSABLE = (RunPhase.WRITING, RunPhase.DONE)

LEADER = "leader"
HELPER = "helper"


# Requests racing for a flow's queued run: each lost compare-and-set costs one more try.
JOIN_ATTEMPTS = 50


def create_run(flow, trigger, full=False, ids=None, user=None, joinable=False):
    """A queued run of ``flow``: incremental, full (``full``) or of exactly ``ids``.

    ``joinable``: later requests join it while it is queued (``join_or_queue``); such a
    run also holds the flow's lease, so the flow runs one of them at a time.
    """
    options = {}
    if full:
        options["full"] = True
    if ids is not None:
        options["ids"] = [str(i) for i in dict.fromkeys(ids)]
    return SyncRun.objects.create(
        flow=flow,
        trigger=trigger,
        options=options,
        joinable=joinable,
        requested_by=user if user is not None and user.is_authenticated else None,
    )


def is_ids_run(run):
    return run.options.get("ids") is not None


def takes_lease(run):
    """Whether the run holds the flow's lease: incremental and full runs, and joinable runs.

    Runs a waiting child asks for (trigger "dependency") and edited-payload replays run
    beside the flow's other runs, as they always did.
    """
    return run.joinable or not is_ids_run(run)


def _waiting():
    # Queued (perhaps put back after losing the lease, before reading), or held by a pause
    # before it started: what such a run will read is still open.
    return Q(status=RunStatus.QUEUED) | Q(status=RunStatus.PAUSED, started_at__isnull=True)


def queued_run(flow):
    """The flow's joinable run that has not started: queued, or held by a pause before it started."""
    return SyncRun.objects.filter(_waiting(), flow=flow, joinable=True).order_by("id").first()


def joined_options(options, full=False, ids=None):
    """``options`` of a queued run once a request for ``full`` or ``ids`` (else incremental) joins.

    Ids join ids; an incremental or full request turns an ids run into that kind, still
    reading its ids (``also_ids``); ids joining an incremental run are read after its
    changes, since a re-run record may not have changed; a full read covers everything.
    """
    options = dict(options)
    if options.get("ids") is not None:
        if ids is not None:
            options["ids"] = _union(options["ids"], ids)
            return options
        options["also_ids"] = _union(options.pop("ids"), options.get("also_ids") or [])
    if full:
        options["full"] = True
    elif ids is not None and not options.get("full"):
        options["also_ids"] = _union(options.get("also_ids") or [], ids)
    return options


def _union(first, second):
    return list(dict.fromkeys([*map(str, first), *map(str, second)]))


def join(run, full=False, ids=None):
    """Fold a request into ``run`` while it still waits to start; False if it started meanwhile.

    A compare-and-set on the run's status and request count, so two requests joining at
    once never lose each other's ids: the one that loses reads the run again and retries.
    """
    for _attempt in range(JOIN_ATTEMPTS):
        merged = joined_options(run.options, full, ids)
        won = SyncRun.objects.filter(_waiting(), pk=run.pk, request_count=run.request_count).update(
            options=merged, request_count=run.request_count + 1
        )
        if won:
            run.options, run.request_count = merged, run.request_count + 1
            return True
        run = SyncRun.objects.filter(_waiting(), pk=run.pk).first()
        if run is None:
            return False
    return False


def join_or_queue(flow, trigger, full=False, ids=None, user=None):
    """``(run, created)``: the flow's waiting run with this request joined, else a new queued one.

    Only one joinable run of a flow may be queued (a unique index): of two requests that
    both found none, one inserts it and the other joins it. None when the flow has an
    unfinished incremental or full run of the kind asked for, which the request joins instead.
    """
    for _attempt in range(JOIN_ATTEMPTS):
        waiting = queued_run(flow)
        if waiting is not None:
            if join(waiting, full, ids):
                return waiting, False
            continue
        if ids is None and unfinished_run(flow, full) is not None:
            return None, False
        try:
            with transaction.atomic():
                return create_run(flow, trigger, full=full, ids=ids, user=user, joinable=True), True
        except IntegrityError:
            continue  # another request queued one first: join it
    raise RuntimeError(f"Requests for flow {flow.pk} kept racing; try again.")


def unfinished_run(flow, full=False):
    """The flow's unfinished incremental (or full) run, if any: new requests join it."""
    runs = SyncRun.objects.filter(flow=flow, status__in=UNFINISHED).order_by("id")
    for run in runs:
        # A resync of part of the source (its scope) is no full run to join.
        if not is_ids_run(run) and not run.options.get("scope") and bool(run.options.get("full")) == full:
            return run
    return None


def take_over(run, worker, now, stale_seconds):
    """Make ``worker`` this run's leader if it may lead it; ``LEADER``, ``HELPER`` or None.

    A queued run whose flow's lease another run holds stays queued (and joinable): the
    run holding it hands the queue on when it closes.
    """
    fields = {"worker": worker, "heartbeat_at": now}
    if run.status == RunStatus.QUEUED:
        if takes_lease(run) and lease_held_by_other(run.flow_id, run.pk, now):
            return None
        won = _cas(
            run,
            {"status": RunStatus.QUEUED},
            status=RunStatus.RUNNING,
            phase=RunPhase.READING,
            started_at=now,
            **fields,
        )
        return LEADER if won else _role_after_race(run, worker, now, stale_seconds)
    if run.status == RunStatus.PAUSED:
        if run.resume_after is not None and run.resume_after > now:
            return None
        won = _cas(run, {"status": RunStatus.PAUSED}, status=RunStatus.RUNNING, resume_after=None, **fields)
        return LEADER if won else _role_after_race(run, worker, now, stale_seconds)
    if run.status != RunStatus.RUNNING:
        return None
    if not is_stale(run, now, stale_seconds):
        return HELPER
    won = _cas(
        run, {"status": RunStatus.RUNNING, "worker": run.worker, "heartbeat_at": run.heartbeat_at}, **fields
    )
    if won:
        reclaim_stale_batches(run.pk, now - timedelta(seconds=stale_seconds))
    return LEADER if won else _role_after_race(run, worker, now, stale_seconds)


def _role_after_race(run, worker, now, stale_seconds):
    run.refresh_from_db()
    return HELPER if run.status == RunStatus.RUNNING and run.worker != worker else None


def is_stale(run, now, stale_seconds):
    """Whether the run's leader has gone silent (or is known dead)."""
    if run.heartbeat_at is None or run.heartbeat_at < now - timedelta(seconds=stale_seconds):
        return True
    return worker_is_dead(run.worker)


def _cas(run, expected, **values):
    updated = SyncRun.objects.filter(pk=run.pk, **expected).update(**values)
    if updated:
        for name, value in values.items():
            setattr(run, name, value)
    return updated == 1


def requeue(run):
    """Back to the queue: another run of the flow holds its lease.

    If another request queued a run meanwhile, this one's request joins that run and this
    run closes, so the flow still has one queued run.
    """
    try:
        with transaction.atomic():
            _cas(
                run, {"status": RunStatus.RUNNING}, status=RunStatus.QUEUED, phase=RunPhase.QUEUED, worker=""
            )
    except IntegrityError:
        _fold_into_queued(run)


def _fold_into_queued(run):
    waiting = queued_run(run.flow)
    ids = run.options.get("ids")
    if waiting is None or not join(waiting, bool(run.options.get("full")), ids):
        return
    if ids is None and run.options.get("also_ids"):
        join(waiting, False, run.options["also_ids"])
    joined = Message(gettext_noop("Joined run %(id)s, queued for the same flow."), id=waiting.pk)
    _cas(
        run,
        {"status": RunStatus.RUNNING},
        status=RunStatus.SUCCEEDED,
        phase=RunPhase.DONE,
        worker="",
        **SyncRun.message_fields(joined),
    )


def heartbeat(run, now, lease_seconds):
    """The run is alive: its heartbeat, and its flow lease if it holds one."""
    SyncRun.objects.filter(pk=run.pk, status=RunStatus.RUNNING).update(heartbeat_at=now)
    if takes_lease(run):
        renew_lease(run.flow_id, run.pk, now, lease_seconds)


def reading_done(run, now, read_calls, read_seconds):
    total = sum(SyncBatch.objects.filter(run=run).values_list("record_count", flat=True))
    timings = {**run.timings, "read": round(read_seconds + run.timings.get("read", 0), 3)}
    _cas(
        run,
        {"status": RunStatus.RUNNING, "phase": RunPhase.READING},
        phase=RunPhase.WRITING,
        progress_total=total,
        read_count=total,
        api_calls=read_calls,
        timings=timings,
        heartbeat_at=now,
    )


def pause(run, resets_at, message):
    """Pause until ``resets_at`` (the daily quota resets); nothing is failed.

    A ``Message`` keeps its id and parameters too, to be read in the reader's language.
    """
    return _cas(
        run,
        {"status": RunStatus.RUNNING},
        status=RunStatus.PAUSED,
        resume_after=resets_at,
        **SyncRun.message_fields(message),
    )


def fail(run, now, message):
    """Stop the run: its source could not be read. Pending batches are dropped; the
    watermark stays, so the next run reads those records again. ``message`` is kept like
    ``pause``'s."""
    if not _cas(
        run,
        {"status": RunStatus.RUNNING},
        status=RunStatus.FAILED,
        phase=RunPhase.DONE,
        finished_at=now,
        **SyncRun.message_fields(message),
    ):
        return False
    SyncBatch.objects.filter(run=run, status=BatchStatus.PENDING).delete()
    if takes_lease(run):
        release_lease(run.flow_id, run.pk)
    return True


def finish_if_done(run, now):
    """Close the run if every batch is done and reading ended; True for the one worker that closes it."""
    if batches.unfinished(run.pk):
        return False
    # Closing twice (a closer died half-way and another took over) gives the same result.
    if not _cas(run, {"status": RunStatus.RUNNING, "phase__in": CLOSABLE}, phase=RunPhase.DONE):
        return False
    run.refresh_from_db()
    done = SyncBatch.objects.filter(run=run)
    totals = _totals(done.values_list("timings", "api_calls", "counts"), run)
    status = _final_status(run)
    SyncRun.objects.filter(pk=run.pk).update(
        status=status,
        finished_at=now,
        heartbeat_at=now,
        timings=totals["timings"],
        api_calls=totals["api_calls"],
        **SyncRun.message_fields(_summary(run, totals["waiting"])),
    )
    if not is_ids_run(run) and not run.options.get("scope"):
        # A scoped resync read only part of the source: the watermark cannot vouch for the rest.
        _advance_watermark(run)
    if takes_lease(run):
        release_lease(run.flow_id, run.pk)
    run.refresh_from_db()
    return True


def _totals(rows, run):
    timings, api_calls, waiting = Counter(run.timings or {}), {}, 0
    for batch_timings, batch_calls, counts in rows:
        timings.update(batch_timings or {})
        waiting += (counts or {}).get("waiting", 0)
        for connector, operations in (batch_calls or {}).items():
            merged = api_calls.setdefault(connector, Counter())
            merged.update(operations)
    for connector, operations in (run.api_calls or {}).items():
        api_calls.setdefault(connector, Counter()).update(operations)
    return {
        "timings": {name: round(value, 3) for name, value in timings.items()},
        "api_calls": {connector: dict(operations) for connector, operations in api_calls.items()},
        "waiting": waiting,
    }


def _final_status(run):
    if not run.failed_count:
        return RunStatus.SUCCEEDED
    good = run.created_count + run.updated_count + run.unchanged_count + run.skipped_count
    return RunStatus.PARTIAL if good else RunStatus.FAILED


def _summary(run, waiting):
    failed = run.failed_count and PluralMessage(
        ngettext_lazy("%(count)d record failed.", "%(count)d records failed.", "count"), run.failed_count
    )
    waits = waiting and PluralMessage(
        ngettext_lazy(
            "%(count)d record waits for a parent record.",
            "%(count)d records wait for a parent record.",
            "count",
        ),
        waiting,
    )
    if failed and waits:
        return Message(gettext_noop("%(failed)s %(waiting)s"), failed=failed, waiting=waits)
    return failed or waits or ""


def _advance_watermark(run):
    """Move the flow's watermark to the latest change read, never past the run's start.

    A source paged by id (not by time) can hand out a record changed during the read on an
    early page; capping at the start keeps such changes ahead of the watermark, and the
    record logs recognise what is read twice.
    """
    latest = (
        SyncBatch.objects.filter(run=run, last_modified_at__isnull=False)
        .order_by("-last_modified_at")
        .first()
    )
    echoed = parse_datetime(run.options.get("echoes_until") or "")
    if latest is None and echoed is None:
        return
    watermark, boundary = latest.last_modified_at if latest else echoed, []
    if echoed is not None and echoed > watermark:
        # Records only our own writes changed were read past the batches: no need to read them again.
        watermark = echoed
    if run.started_at is not None and watermark > run.started_at:
        watermark = run.started_at
    else:
        for ids in SyncBatch.objects.filter(run=run, last_modified_at=watermark).values_list(
            "last_ids", flat=True
        ):
            boundary.extend(ids)
    flow = SyncFlow.objects.filter(pk=run.flow_id).values("watermark", "boundary_ids").get()
    if flow["watermark"] is not None and watermark < flow["watermark"]:
        return
    if flow["watermark"] == watermark:
        boundary.extend(flow["boundary_ids"] or [])  # more records arrived with the same stamp
    save_incremental_state(run.flow_id, watermark, sorted(set(boundary)))


def next_queued(flow_id):
    """The oldest queued run of the flow, which may start now that the lease is free."""
    return SyncRun.objects.filter(flow_id=flow_id, status=RunStatus.QUEUED).order_by("id").first()


# --- the flow's lease ----------------------------------------------------------------------
# One lease per flow: the run holding it reads the source and moves the watermark. Every
# change is a compare-and-set ``UPDATE`` on the lease row, the same on SQLite and PostgreSQL:
# taking it succeeds only if it is free, expired or already ours.


def acquire_lease(flow_id, run_id, now, seconds):
    """Take the lease of ``flow_id`` for ``run_id`` (or renew it); True when this run holds it."""
    _ensure_lease_row(flow_id)
    free = Q(run__isnull=True) | Q(run_id=run_id) | Q(expires_at__lt=now)
    taken = FlowLease.objects.filter(Q(flow_id=flow_id) & free).update(
        run_id=run_id, expires_at=now + timedelta(seconds=seconds)
    )
    return taken == 1


def lease_held_by_other(flow_id, run_id, now):
    """Whether another run holds the lease of ``flow_id`` now (a hint; ``acquire_lease`` decides)."""
    free = Q(run__isnull=True) | Q(run_id=run_id) | Q(expires_at__lt=now)
    return FlowLease.objects.filter(flow_id=flow_id).exclude(free).exists()


def renew_lease(flow_id, run_id, now, seconds):
    """Push the expiry forward while the run makes progress; False if the run lost the lease."""
    renewed = FlowLease.objects.filter(flow_id=flow_id, run_id=run_id).update(
        expires_at=now + timedelta(seconds=seconds)
    )
    return renewed == 1


def release_lease(flow_id, run_id):
    """Give the lease up (only if ``run_id`` still holds it)."""
    FlowLease.objects.filter(flow_id=flow_id, run_id=run_id).update(run=None, expires_at=None)


def _ensure_lease_row(flow_id):
    if FlowLease.objects.filter(flow_id=flow_id).exists():
        return
    try:
        with transaction.atomic():
            FlowLease.objects.create(flow_id=flow_id)
    except IntegrityError:
        pass  # another worker created it first


# --- who is working ------------------------------------------------------------------------
# A name per worker process, and whether a named worker is still alive.
_HOST = socket.gethostname()


def new_worker_name():
    """``host:pid:random`` — unique per call, readable in the admin."""
    return f"{_HOST}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def worker_is_dead(worker):
    """True only when ``worker`` ran on this host and its process is gone.

    Lets a restarted command take over at once from a process that was killed, instead
    of waiting for its heartbeat to go stale; workers on other hosts are judged by their
    heartbeat alone.
    """
    host, _, rest = (worker or "").partition(":")
    pid_text = rest.partition(":")[0]
    if host != _HOST or not pid_text.isdigit():
        return False
    pid = int(pid_text)
    if pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return _is_zombie(pid)


def _is_zombie(pid):
    # A killed child not yet reaped by its parent still answers kill(pid, 0).
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] == "Z"
    except (OSError, IndexError):
        return False


def reclaim_stale_batches(run_id, cutoff):
    """Put back running batches whose worker is silent since ``cutoff`` or provably dead.

    Each put-back is conditional on the heartbeat seen, so a worker that beats in between
    keeps its batch.
    """
    running = SyncBatch.objects.filter(run_id=run_id, status=BatchStatus.RUNNING)
    reclaimed = 0
    for pk, worker, beat in running.values_list("pk", "claimed_by", "heartbeat_at"):
        if beat is not None and beat >= cutoff and not worker_is_dead(worker):
            continue
        reclaimed += SyncBatch.objects.filter(
            pk=pk, status=BatchStatus.RUNNING, claimed_by=worker, heartbeat_at=beat
        ).update(status=BatchStatus.PENDING, claimed_by="")
    return reclaimed
