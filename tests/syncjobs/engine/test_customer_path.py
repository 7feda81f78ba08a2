"""The customer path, traced: which of our modules a CRM account crosses to become an ERP customer.

One scheduled customers sync runs the way a queue worker runs it: the schedule task, then each
task it leaves in the broker (execute the run, help it, drain the write-backs), until none is
left. A profile hook records every file of ours whose functions are called on the way. Run with
``-s`` to print the list and its count (``docs/architecture.md`` quotes the figures).
"""

import importlib
import pkgutil
import sys
import threading
from pathlib import Path

import pytest

from syncjobs import tasks
from syncjobs.models import CrossReference, RunStatus, SyncRun
from tests.support.queue import empty_queue, waiting_tasks
from tests.syncjobs.engine.scenarios import fast_hub

pytestmark = pytest.mark.broker

ROOT = Path(__file__).resolve().parents[3]
OURS = ("connectors", "integration_hub", "syncjobs")

# One module per step of docs/architecture.md's pipeline: the map must stay true.
STEPS = {
    "trigger": "syncjobs/tasks.py",
    "run": "syncjobs/engine/runner.py",
    "lease": "syncjobs/engine/runs.py",
    "read": "syncjobs/engine/reader.py",
    "batches": "syncjobs/engine/batches.py",
    "plan": "syncjobs/engine/planner.py",
    "write": "syncjobs/engine/writer.py",
    "post-actions": "syncjobs/engine/postactions.py",
    "outcomes": "syncjobs/engine/outcomes.py",
    "write-back": "syncjobs/engine/writeback.py",
    "queue hops": "syncjobs/engine/dispatch.py",
    "K3Cloud save": "connectors/k3cloud/client.py",
}


@pytest.fixture
def hub(db, sandbox, settings):
    empty_queue()  # Redis keeps what earlier tests queued
    return fast_hub(sandbox, settings)


def import_all():
    """Import every module of ours first, so that the trace sees calls, not imports."""
    for package in OURS:
        for module in pkgutil.walk_packages([str(ROOT / package)], prefix=f"{package}."):
            if ".migrations." not in module.name:
                importlib.import_module(module.name)


class Trace:
    """The files of ours (tests and the sandbox aside) whose functions were called."""

    def __init__(self):
        self.files = set()

    def __call__(self, frame, event, arg):
        if event == "call":
            self.files.add(frame.f_code.co_filename)

    def __enter__(self):
        threading.setprofile(self)
        sys.setprofile(self)
        return self

    def __exit__(self, *exc):
        sys.setprofile(None)
        threading.setprofile(None)

    @property
    def ours(self):
        found = set()
        for name in self.files:
            path = Path(name)
            if path.is_relative_to(ROOT) and path.relative_to(ROOT).parts[0] in OURS:
                found.add(path.relative_to(ROOT).as_posix())
        return sorted(found)


def work_the_queue(django_capture_on_commit_callbacks, first):
    """Run ``first`` and then, like a queue worker, each task it leaves behind; their names."""
    done = []
    with django_capture_on_commit_callbacks(execute=True):
        first()
    while pending := waiting_tasks():
        empty_queue()
        for func, args in pending:
            done.append(func)
            module, name = func.rsplit(".", 1)
            with django_capture_on_commit_callbacks(execute=True):
                getattr(importlib.import_module(module), name)(*args)
    return done


def test_a_scheduled_customers_sync_crosses_one_module_per_step(hub, django_capture_on_commit_callbacks):
    flow = hub.customers(
        enabled=True,
        options={"write_back": {"field_erpNo__c": "target_number"}, "parallel_batches": 2},
    )
    import_all()

    with Trace() as trace:
        hops = work_the_queue(django_capture_on_commit_callbacks, lambda: tasks.run_flow_on_schedule(flow.pk))

    assert SyncRun.objects.get(flow=flow).status == RunStatus.SUCCEEDED
    assert CrossReference.objects.filter(flow=flow).count() == 20
    assert hops == [
        "syncjobs.tasks.execute_run",
        "syncjobs.tasks.help_run",
        "syncjobs.tasks.drain_write_backs",
    ]
    missing = {step: module for step, module in STEPS.items() if module not in trace.ours}
    assert missing == {}
    engine = [name for name in trace.ours if name.startswith("syncjobs/engine/")]
    print(f"\n{len(trace.ours)} files of ours, {len(engine)} of them in syncjobs/engine/:")
    print("\n".join(trace.ours))
