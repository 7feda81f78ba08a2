"""``python manage.py sync <flow-slug> [--full] [--ids ID ...] [--dry-run]``."""

import sys
import time

from django.core.management.base import BaseCommand, CommandError
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from integration_hub.environment import require_database, require_redis
from syncjobs.engine.options import OptionsError
from syncjobs.management.progress import ProgressBar, table
from syncjobs.mapping import MappingConfigError
from syncjobs.models import RecordStatus, RunStatus, SyncFlow, SyncRecord, Trigger
from syncjobs.services import sync

# Failures listed under the summary; the rest are in the console.
SHOWN_FAILURES = 20


class Command(BaseCommand):
    help = _(
        "Run one flow now, in this process, with a progress bar and a summary; exit status 1 when "
        "records failed. A run of the flow that was interrupted is resumed instead of starting anew."
    )

    def add_arguments(self, parser):
        parser.add_argument("flow", help=_("the flow's slug"))
        parser.add_argument(
            "--full", action="store_true", help=_("read every source record, not only changes")
        )
        parser.add_argument("--ids", nargs="+", metavar="ID", help=_("sync exactly these source record ids"))
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help=_("show what a run would do, field by field; write nothing"),
        )
        parser.add_argument("--limit", type=int, default=None, help=_("records a dry run evaluates"))
        parser.add_argument(
            "--threads",
            type=int,
            default=1,
            help=_("share a large run's batches among this many threads of this process"),
        )

    def handle(self, *args, **options):
        if options["threads"] < 1:
            raise CommandError(_("--threads must be 1 or more."))
        require_database()
        require_redis()
        flow = self._flow(options["flow"])
        try:
            if options["dry_run"]:
                failed = self._dry_run(flow, options)
            else:
                failed = self._run(flow, options)
        except (OptionsError, MappingConfigError) as exc:
            raise CommandError(str(exc)) from exc
        if failed:
            sys.exit(1)

    def _flow(self, slug):
        flow = (
            SyncFlow.objects.select_related("source_connector", "target_connector").filter(slug=slug).first()
        )
        if flow is None:
            known = ", ".join(SyncFlow.objects.order_by("slug").values_list("slug", flat=True)) or "-"
            raise CommandError(
                _("There is no flow “%(slug)s”. Flows: %(known)s.") % {"slug": slug, "known": known}
            )
        return flow

    # --- a real run ----------------------------------------------------------------------
    def _run(self, flow, options):
        started = time.monotonic()
        bar = ProgressBar(self.stdout, flow.slug, interactive=self.stdout.isatty())
        run = sync.run_now(
            flow,
            full=options["full"],
            ids=options["ids"],
            trigger=Trigger.MANUAL,
            progress=bar,
            threads=options["threads"],
        )
        bar.finish(run)
        write_backs = sync.drain_write_backs(limit=10**9, budget_seconds=3600, flow=flow)
        self._summary([run], time.monotonic() - started)
        if write_backs.done or write_backs.failed or write_backs.stopped:
            self.stdout.write(
                _("Write-backs sent: %(done)d, failed: %(failed)d.")
                % {"done": write_backs.done, "failed": write_backs.failed}
            )
        self._failures(run)
        if run.status == RunStatus.PAUSED:
            self.stdout.write(self.style.WARNING(run.message_text))
        elif run.status == RunStatus.FAILED and run.message_text:
            self.stdout.write(self.style.ERROR(run.message_text))
        return (
            run.failed_count > 0 or run.status == RunStatus.FAILED or self._missing_ids(run, options["ids"])
        )

    def _missing_ids(self, run, ids):
        # A run that failed or paused has not read everything: its ids are not known to be missing.
        if not ids or run.status in (RunStatus.FAILED, RunStatus.PAUSED):
            return False
        found = set(SyncRecord.objects.filter(run=run).values_list("source_id", flat=True))
        return self._report_missing(ids, found)

    def _report_missing(self, ids, found):
        """Say which of the ids asked for the source did not return; whether any."""
        missing = [source_id for source_id in ids or [] if source_id not in found]
        if missing:
            self.stdout.write(
                self.style.ERROR(
                    _("The source has no records with these ids: %(ids)s.") % {"ids": ", ".join(missing)}
                )
            )
        return bool(missing)

    def _summary(self, runs, seconds):
        headers = [
            pgettext("sync summary column", "flow"),
            pgettext("sync summary column", "status"),
            pgettext("sync summary column", "read"),
            pgettext("sync summary column", "created"),
            pgettext("sync summary column", "updated"),
            pgettext("sync summary column", "unchanged"),
            pgettext("sync summary column", "skipped"),
            pgettext("sync summary column", "failed"),
            pgettext("sync summary column", "waiting"),
            pgettext("sync summary column", "seconds"),
            pgettext("sync summary column", "API calls"),
        ]
        rows = [_row(run) for run in runs]
        self.stdout.write("")
        for line in table(headers, rows):
            self.stdout.write("  " + line)
        self.stdout.write(_("Wall time: %(seconds).1f s") % {"seconds": seconds})

    def _failures(self, run):
        failed = SyncRecord.objects.filter(run=run, status__in=[RecordStatus.FAILED, RecordStatus.DEAD])
        shown = list(failed.order_by("id")[:SHOWN_FAILURES])
        if not shown:
            return
        self.stdout.write("")
        self.stdout.write(self.style.WARNING(_("Records that failed, and why:")))
        for record in shown:
            self.stdout.write(
                f"  · [{record.get_status_display()}] {Truncator(record.error_message).chars(300)}"
            )
        if run.failed_count > len(shown):
            self.stdout.write(
                _("… and %(count)d more: open Records in the console, filter by this run.")
                % {"count": run.failed_count - len(shown)}
            )

    # --- a dry run ---------------------------------------------------------------------
    def _dry_run(self, flow, options):
        report = sync.dry_run(flow, limit=options["limit"], full=options["full"], ids=options["ids"])
        for item in report.items:
            label = item.source_number or item.source_id
            self.stdout.write(f"{_action_label(item.action, item.status)}  {label}")
            for field, current, new in item.changes:
                self.stdout.write(f"    {field}: {_shown(current)} → {_shown(new)}")
            if item.message:
                self.stdout.write(f"    {Truncator(item.message).chars(300)}")
        counts = report.counts
        self.stdout.write("")
        self.stdout.write(
            _(
                "Dry run of %(flow)s (mapping version %(version)s): %(read)d read — %(create)d to create, "
                "%(update)d to update, %(unchanged)d unchanged, %(skip)d skipped, %(failed)d failing, "
                "%(waiting)d waiting. Nothing was written."
            )
            % {"flow": flow.slug, "version": report.version_number, "read": report.read, **counts}
        )
        if report.limited:
            self.stdout.write(_("More records are waiting than were evaluated; use --limit to see more."))
        missing = self._report_missing(options["ids"], {item.source_id for item in report.items})
        return counts["failed"] > 0 or missing


def _row(run):
    calls = ", ".join(f"{name} {sum(ops.values())}" for name, ops in sorted((run.api_calls or {}).items()))
    seconds = run.duration.total_seconds() if run.duration else 0
    return [
        run.flow.slug,
        run.get_status_display(),
        run.read_count,
        run.created_count,
        run.updated_count,
        run.unchanged_count,
        run.skipped_count,
        run.failed_count,
        run.records.filter(status=RecordStatus.WAITING).count(),
        f"{seconds:.1f}",
        calls or "-",
    ]


def _action_label(action, status):
    if status in (RecordStatus.FAILED, RecordStatus.DEAD):
        return pgettext("dry run", "FAIL     ")
    if status == RecordStatus.WAITING:
        return pgettext("dry run", "WAIT     ")
    return {
        "create": pgettext("dry run", "CREATE   "),
        "update": pgettext("dry run", "UPDATE   "),
        "unchanged": pgettext("dry run", "UNCHANGED"),
        "void": pgettext("dry run", "VOID     "),
    }.get(action, pgettext("dry run", "SKIP     "))


def _shown(value):
    return "—" if value in (None, "") else Truncator(str(value)).chars(80)
