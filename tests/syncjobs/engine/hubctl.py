"""Drive a hub database from its own OS process, for the tests that kill and share processes.

Run as ``python -m tests.syncjobs.engine.hubctl COMMAND SPEC_JSON`` with the environment of
``tests.syncjobs.engine.processes`` (the shared database, the sandbox server's address).
Prints one JSON object. Commands: ``setup`` (connectors and a flow for seeded tenants),
``lead`` (start a run and read it into batches, writing nothing), ``work`` (wait for the
start signal, then process the run's batches beside the other workers), ``enqueue``
(queue a run for a ``qcluster``), ``report`` (the flow's runs, batches and cross-references).
"""

import json
import os
import sys
import time
from pathlib import Path


def setup(spec):
    from tests.syncjobs.engine.scenarios import Hub

    hub = Hub.attached(spec["base_url"], spec["erp_tenant"], spec["crm_tenant"])
    flow = getattr(hub, spec["flow"])(**spec.get("fields", {}))
    return {"flow": flow.slug}


def lead(spec):
    from syncjobs.engine import runs
    from syncjobs.engine.runner import Runner
    from syncjobs.models import SyncFlow, Trigger

    run = runs.create_run(SyncFlow.objects.get(slug=spec["flow"]), Trigger.MANUAL)
    runner = Runner(run.pk)
    role = runs.take_over(runner.run, runner.worker, runner.clock(), 120)
    assert runner._prepare(role) and runner._lead()
    return {"run": run.pk, "batches": run.batches.count()}


def work(spec):
    from syncjobs.engine.runner import Runner

    signal = Path(spec["start"])
    Path(spec["ready"]).touch()
    while not signal.exists():
        time.sleep(0.01)
    run = Runner(spec["run"], wait=True).execute()
    return {"pid": os.getpid(), "status": run.status}


def enqueue(spec):
    from django.db import transaction

    from syncjobs.models import SyncFlow
    from syncjobs.services import sync

    with transaction.atomic():
        run = sync.start_run(SyncFlow.objects.get(slug=spec["flow"]))
    return {"run": run.pk}


def report(spec):
    from syncjobs.models import CrossReference, SyncBatch, SyncFlow, SyncRecord

    flow = SyncFlow.objects.get(slug=spec["flow"])
    return {
        "runs": [
            {
                "id": run.pk,
                "status": run.status,
                "phase": run.phase,
                "read": run.read_count,
                "created": run.created_count,
                "updated": run.updated_count,
                "unchanged": run.unchanged_count,
                "failed": run.failed_count,
                "message": run.message,
            }
            for run in flow.runs.order_by("id")
        ],
        "batches": list(
            SyncBatch.objects.filter(run__flow=flow).values("run_id", "seq", "status", "claims", "claimed_by")
        ),
        "linked": CrossReference.objects.filter(flow=flow).exclude(target_id="").count(),
        "claims_left": CrossReference.objects.filter(flow=flow, target_id="").count(),
        "failed_records": list(
            SyncRecord.objects.filter(flow=flow, status__in=["failed", "dead"]).values_list(
                "error_message", flat=True
            )
        ),
    }


COMMANDS = {"setup": setup, "lead": lead, "work": work, "enqueue": enqueue, "report": report}


def main():
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "integration_hub.settings")
    django.setup()
    command, spec = sys.argv[1], json.loads(sys.argv[2])
    print(json.dumps(COMMANDS[command](spec), default=str))


if __name__ == "__main__":
    main()
