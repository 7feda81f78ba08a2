"""The scale-out load seen from the hub: runs and write-back drains handed to the queue,
waited for, and what the workers did (which batches each claimed, how often)."""

import time
from collections import Counter

from django.db import transaction
from django_q.models import Task
from django_q.tasks import async_task

from syncjobs.engine.dispatch import DRAIN_WRITE_BACKS
from syncjobs.models import (
    BatchStatus,
    RunStatus,
    SyncBatch,
    SyncFlow,
    SyncRecord,
    SyncRun,
    WriteBack,
    WriteBackStatus,
)
from syncjobs.services import sync

FINISHED = (RunStatus.SUCCEEDED, RunStatus.PARTIAL, RunStatus.FAILED)
POLL_SECONDS = 0.5


def run_through_queue(slug, timeout=6 * 3600):
    """Queue a run of flow ``slug`` and wait until the workers finished it; its summary."""
    flow = SyncFlow.objects.get(slug=slug)
    with transaction.atomic():
        run = sync.start_run(flow)
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        run.refresh_from_db()
        if run.status in FINISHED:
            break
        time.sleep(POLL_SECONDS)
    return {
        "flow": slug,
        "status": run.status,
        "read": run.read_count,
        "created": run.created_count,
        "updated": run.updated_count,
        "failed": run.failed_count,
        "seconds": round(time.monotonic() - started, 2),
    }


def queue_drains(count):
    """Queue ``count`` write-back drains (one per worker): they share the connector's limit."""
    for _drain in range(count):
        async_task(DRAIN_WRITE_BACKS, group="drain_write_backs")


def wait_for_drains(timeout=6 * 3600):
    """Wait until no write-back is pending or running; what the drains did."""
    started = time.monotonic()
    open_statuses = (WriteBackStatus.PENDING, WriteBackStatus.RUNNING)
    while (
        time.monotonic() - started < timeout and WriteBack.objects.filter(status__in=open_statuses).exists()
    ):
        time.sleep(POLL_SECONDS)
    time.sleep(4 * POLL_SECONDS)  # the last drains store their results as they finish
    drains = Task.objects.filter(func=DRAIN_WRITE_BACKS)
    spans = sorted((task.started.timestamp(), task.stopped.timestamp()) for task in drains)
    return {
        "done": WriteBack.objects.filter(status=WriteBackStatus.DONE).count(),
        "failed": WriteBack.objects.filter(status=WriteBackStatus.FAILED).count(),
        "drain_tasks": len(spans),
        "most_at_once": _most_at_once(spans),
    }


def _most_at_once(spans):
    events = sorted([(start, 1) for start, _end in spans] + [(end, -1) for _start, end in spans])
    most = current = 0
    for _moment, step in events:
        current += step
        most = max(most, current)
    return most


def sharing(slugs):
    """How the runs' batches were shared: per worker process, and claims per batch."""
    batches = SyncBatch.objects.filter(run__flow__slug__in=slugs)
    processes = Counter(
        ":".join(name.split(":")[:2]) for name in batches.values_list("claimed_by", flat=True)
    )
    records = SyncRecord.objects.filter(run__flow__slug__in=slugs)
    per_record = Counter(records.values_list("run_id", "source_id"))
    return {
        "batches": batches.count(),
        "batches_not_done": batches.exclude(status=BatchStatus.DONE).count(),
        "batches_claimed_twice": batches.filter(claims__gt=1).count(),
        "batches_per_process": dict(processes),
        "records_processed_twice": sum(1 for count in per_record.values() if count > 1),
        "runs": SyncRun.objects.filter(flow__slug__in=slugs).count(),
    }


def target_duplicates():
    """Records the ERP holds more than once: customers by tax code, orders by number."""
    from benchmarks.workload import ERP_SLUG
    from syncjobs.adapters.base import ReadOptions
    from syncjobs.adapters.clients import adapter_for
    from syncjobs.models import Connector

    erp = adapter_for(Connector.objects.get(slug=ERP_SLUG))
    found = {}
    for form, key in (("BD_Customer", "FSOCIALCRECODE"), ("SAL_SaleOrder", "FBillNo")):
        pages = erp.read_changed(form, None, ReadOptions(fields=[key], page_size=2000))
        counts = Counter(record.data.get(key) for page in pages for record in page)
        found[form] = {
            "records": sum(counts.values()),
            "duplicated": sum(1 for n in counts.values() if n > 1),
        }
    erp.client.close()
    return found
