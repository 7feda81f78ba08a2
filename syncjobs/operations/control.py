"""Pausing and resuming a flow, and running every flow in dependency order.

A paused flow's unfinished runs are held: status ``paused`` with ``resume_after`` at
``HELD_UNTIL``, a moment that never comes, so neither a worker nor the reconciler takes
them up. A flow with nothing running gets one held run, which the scheduled and manual
incremental requests of the flow join (``services.sync.start_run``), so nothing starts
while it is paused. Resuming releases the held runs: they carry on where they stopped.
"""

from datetime import UTC, datetime

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext_noop

from syncjobs.engine import runs
from syncjobs.engine.dispatch import QueueDispatcher
from syncjobs.models import RunPhase, RunStatus, SyncFlow, SyncRun, Trigger
from syncjobs.services import sync
from syncjobs.stored_messages import Message

HELD_UNTIL = datetime(9999, 12, 31, tzinfo=UTC)
UNFINISHED = (RunStatus.QUEUED, RunStatus.RUNNING, RunStatus.PAUSED)


def held_runs(flow_ids=None):
    """The runs held by a pause, of the given flows (all flows when None)."""
    held = SyncRun.objects.filter(status=RunStatus.PAUSED, resume_after=HELD_UNTIL)
    return held if flow_ids is None else held.filter(flow_id__in=list(flow_ids))


def paused_flow_ids(flow_ids):
    """Which of ``flow_ids`` are paused (one query)."""
    return set(held_runs(flow_ids).values_list("flow_id", flat=True))


def is_paused(flow):
    return held_runs([flow.pk]).exists()


def pause_flow(flow, user=None, now=None):
    """Hold the flow's unfinished runs (workers stop after the batch in hand); return how many.

    When the flow has no unfinished incremental run, a held one is created so scheduled
    runs join it instead of starting.
    """
    now = now or timezone.now()
    message = _pause_message(user, now)
    with transaction.atomic():
        held = SyncRun.objects.filter(flow=flow, status__in=UNFINISHED).update(
            status=RunStatus.PAUSED, resume_after=HELD_UNTIL, **SyncRun.message_fields(message)
        )
        if runs.unfinished_run(flow) is None:
            placeholder = runs.create_run(flow, Trigger.MANUAL, user=user)
            hold(placeholder, message)
            held += 1
    return held


def hold(run, message=""):
    """Hold one run (e.g. one a webhook asked for while its flow is paused); without a
    ``message`` it keeps its own."""
    said = SyncRun.message_fields(message) if message else {}
    SyncRun.objects.filter(pk=run.pk, status__in=UNFINISHED).update(
        status=RunStatus.PAUSED, resume_after=HELD_UNTIL, **said
    )


def hold_if_paused(run):
    """Hold ``run`` when its flow is paused, so it waits for the flow to be resumed; True if held."""
    if not held_runs([run.flow_id]).exclude(pk=run.pk).exists():
        return False
    hold(run, Message(gettext_noop("Held: the flow is paused. It runs when the flow is resumed.")))
    return True


def _pause_message(user, now):
    return Message(
        gettext_noop("Paused by %(user)s on %(time)s; the flow continues when it is resumed."),
        user=user.get_username() if user is not None else Message(gettext_noop("the system")),
        time=now,
    )


def resume_flow(flow, dispatcher=None):
    """Release the flow's held runs and hand them to a worker; return their ids.

    A held run that never started goes back to the queue (it starts like any other run);
    one that had started continues where it stopped.
    """
    dispatcher = dispatcher or QueueDispatcher()
    released = []
    with transaction.atomic():
        for run in held_runs([flow.pk]).order_by("id"):
            if _release(run):
                dispatcher.run(run.pk)
                released.append(run.pk)
    return released


def _release(run):
    held = SyncRun.objects.filter(pk=run.pk, status=RunStatus.PAUSED, resume_after=HELD_UNTIL)
    # One that never started goes back to the queue.
    queued = {"status": RunStatus.QUEUED, "phase": RunPhase.QUEUED} if run.started_at is None else {}
    return held.update(resume_after=None, message="", message_params={}, **queued) == 1


def run_all(user=None):
    """Queue every enabled flow that is not paused, parents before children; return them in order.

    Raises ``ValidationError`` when the flows depend on each other in a circle.
    """
    held = SyncRun.objects.filter(flow=OuterRef("pk"), status=RunStatus.PAUSED, resume_after=HELD_UNTIL)
    flows = sync.dependency_order(SyncFlow.objects.filter(enabled=True).exclude(Exists(held)))
    sync.run_all_in_dependency_order(flows, user=user)
    return flows
