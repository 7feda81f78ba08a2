"""Background exports: claim a queued export, write its file under the data folder, count its rows.

The admin decides what is exported (its list's filters and the ticked columns); this module only
writes the rows it is given and keeps the progress the export's page shows.
"""

import logging
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from syncjobs.models import ExportFile, ExportStatus

log = logging.getLogger(__name__)
PROGRESS_EVERY = 1000
KEEP_FOR = timedelta(days=7)


def export_dir():
    """Where export files are kept: ``exports`` in the data folder."""
    folder = Path(settings.DATA_DIR) / "exports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def file_path(job):
    """The file of a finished export (named by id, so two exports never share a file)."""
    return export_dir() / f"{job.pk}-{job.file_name}"


def claim(job_id):
    """Take a queued export for this worker; ``None`` when another worker has it or it is done."""
    if (
        ExportFile.objects.filter(pk=job_id, status=ExportStatus.QUEUED).update(status=ExportStatus.RUNNING)
        != 1
    ):
        return None
    return ExportFile.objects.get(pk=job_id)


def write(job, resource, queryset, file_format):
    """Export ``queryset`` with ``resource`` into ``job``'s file, saving progress as rows are read."""
    queryset = resource.filter_export(queryset)
    job.rows_total = queryset.count()
    job.save(update_fields=["rows_total"])
    rows = _counting(job, resource.iter_queryset(queryset))
    dataset = resource.export(queryset=rows, export_fields=job.fields or None, force_native_type=True)
    file_path(job).write_bytes(_as_bytes(file_format.export_data(dataset)))
    ExportFile.objects.filter(pk=job.pk).update(
        status=ExportStatus.DONE, rows_done=len(dataset), finished_at=timezone.now()
    )


def prune(now=None):
    """Forget exports finished more than a week ago, with their files (each new export prunes)."""
    old = ExportFile.objects.filter(finished_at__lt=(now or timezone.now()) - KEEP_FOR)
    for job in old:
        file_path(job).unlink(missing_ok=True)
    return old.delete()[0]


def fail(job, error):
    """Record why an export could not be written (the page shows it; the log keeps the trace)."""
    log.exception("export %s failed", job.pk)
    ExportFile.objects.filter(pk=job.pk).update(
        status=ExportStatus.FAILED, message=str(error)[:2000], finished_at=timezone.now()
    )


def _counting(job, rows):
    for done, row in enumerate(rows, start=1):
        if done % PROGRESS_EVERY == 0:
            ExportFile.objects.filter(pk=job.pk).update(rows_done=done)
        yield row


def _as_bytes(data):
    return data.encode("utf-8") if isinstance(data, str) else data
