"""``manage.py demo``: the product on its sandboxes, in one command."""

import logging
import time
from contextlib import contextmanager

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from integration_hub.environment import listening, port_number, require_reachable, require_redis
from integration_hub.serving import ConsoleServer
from syncjobs.engine.dispatch import QueueDispatcher
from syncjobs.management.progress import ProgressBar, table
from syncjobs.operations import alerts
from syncjobs.scenarios import demo, demo_sync
from syncjobs.scenarios.demo_sync import run_demo_sync

# The engine's INFO lines (several hundred on a first demo) go here, not over the summary.
LOG_FILE = "demo.log"


class Command(BaseCommand):
    help = _(
        "Seed both sandboxes, connect the hub to them, install the scenario flows, sync everything "
        "once and serve the console with a worker that keeps syncing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--no-serve", action="store_true", help=_("do the set-up and sync, then exit"))
        parser.add_argument("--host", default="127.0.0.1", help=_("address the console listens on"))
        parser.add_argument("--port", type=port_number, default=8000, help=_("port the console listens on"))
        parser.add_argument("--size", type=int, default=200, help=_("customers in the seeded business"))
        parser.add_argument(
            "--sandbox-url",
            help=_(
                "use the sandboxes of a server already running there (e.g. http://127.0.0.1:8765) "
                "instead of serving them from this process"
            ),
        )

    def handle(self, *args, no_serve, host, port, size, sandbox_url, **options):
        started = time.monotonic()
        if not sandbox_url and not settings.SANDBOX_ENABLED:
            # Said before anything is migrated: this install has no sandboxes to serve.
            raise CommandError(
                _("The sandboxes are switched off (INTEGRATION_HUB_SANDBOX_ENABLED); give --sandbox-url.")
            )
        require_redis()
        self._migrate(own_sandbox=not sandbox_url)
        log_path = settings.DATA_DIR / LOG_FILE
        self.stdout.write(_("The sync's details are written to %(path)s.") % {"path": log_path})
        with _log_to_file(log_path):
            self._demo(started, no_serve, host, port, size, sandbox_url)

    def _demo(self, started, no_serve, host, port, size, sandbox_url):
        server = None if sandbox_url else self._serve(host, port)
        try:
            base_url = sandbox_url.rstrip("/") if sandbox_url else server.base_url
            login = demo.ensure_admin()
            connectors = self._set_up(base_url, size)
            result = run_demo_sync(connectors.erp, base_url, reporter=Reporter(self))
            self._summary(result)
            self._alert(demo.ensure_alert_robot(base_url))
            failed = [summary for summary in result.summaries if summary.status == "failed"]
            if no_serve:
                self._send_write_backs()
                self._wall_time(started)
                self._refuse_failed(failed)
                return
            self._wall_time(started)
            if failed and len(failed) == len(result.summaries):
                self._refuse_failed(failed)
            server = server or self._serve(host, port)
            demo.ensure_schedules()
            demo.connect_crm_webhook(base_url, server.base_url, connectors.crm)
            server.start_worker()
            self._queue_write_backs()
            self._print_login(server.base_url, login)
            self.stdout.write(_("Press Ctrl-C to stop the web server and the worker."))
            server.wait()
            server = None
        except demo.SandboxControlError as exc:
            raise CommandError(str(exc)) from exc
        except KeyboardInterrupt:
            # Nothing is lost: an interrupted run is resumed by the next demo or by the worker.
            self.stdout.write(_("Stopped. Run the demo again to carry on where it stopped."))
        finally:
            if server is not None:
                server.stop()

    def _serve(self, host, port):
        return listening(lambda: ConsoleServer(host, port).start(), host, port)

    def _refuse_failed(self, failed):
        """Exit non-zero when flows could not run at all (a server down, a key wrong): not a demo."""
        if failed:
            raise CommandError(
                _("%(count)d flows could not run: %(flows)s. See why above, fix it and run the demo again.")
                % {"count": len(failed), "flows": ", ".join(summary.slug for summary in failed)}
            )

    def _migrate(self, own_sandbox):
        require_reachable()
        try:
            call_command("migrate", verbosity=0)
        except DatabaseError as exc:
            raise CommandError(_("Setting up the hub's database failed: %(error)s") % {"error": exc}) from exc
        if own_sandbox:
            require_reachable(settings.SANDBOX_DATABASE)
            call_command("migrate", database=settings.SANDBOX_DATABASE, verbosity=0)

    def _set_up(self, base_url, size):
        connectors = demo.ensure_connectors(base_url, size=size)
        if connectors.seeded:
            self.stdout.write(_("Seeded both sandboxes and created their connectors."))
        else:
            self.stdout.write(_("Using the sandboxes and connectors of an earlier demo run (no reseeding)."))
        created = demo.ensure_flows(connectors)
        if created:
            self.stdout.write(_("Installed the scenario flows: %(flows)s.") % {"flows": ", ".join(created)})
        return connectors

    def _alert(self, channel):
        """Run the alert check once, so the deliberate failures reach the sandbox's robot now."""
        sent = alerts.send_alerts()
        self.stdout.write(
            _("Alerts sent to “%(channel)s”: %(count)d (see the simulated robots in the sandbox admin).")
            % {"channel": channel, "count": len(sent)}
        )

    def _summary(self, result):
        self.stdout.write("")
        self.stdout.write(self.style.MIGRATE_HEADING(_("Summary")))
        headers = [
            pgettext("sync summary column", "flow"),
            pgettext("sync summary column", "read"),
            # Records only the hub's own writes changed: not read into a batch nor counted as read.
            pgettext("sync summary column", "own writes skipped"),
            pgettext("sync summary column", "created"),
            pgettext("sync summary column", "updated"),
            pgettext("sync summary column", "unchanged"),
            pgettext("sync summary column", "failed"),
            pgettext("sync summary column", "waiting"),
            pgettext("sync summary column", "seconds"),
            pgettext("sync summary column", "CRM calls"),
            pgettext("sync summary column", "ERP calls"),
        ]
        rows = [
            [
                s.slug,
                s.read,
                s.echoes,
                s.created,
                s.updated,
                s.unchanged,
                s.failed,
                s.waiting,
                f"{s.seconds:.1f}",
                s.calls.get("fxiaoke", 0),
                s.calls.get("k3cloud", 0),
            ]
            for s in result.summaries
        ]
        for line in table(headers, rows):
            self.stdout.write("  " + line)
        self._problems(result)

    def _send_write_backs(self):
        pending = demo_sync.pending_write_backs()
        if not pending:
            return
        self.stdout.write(
            _(
                "Writing %(count)d ERP numbers back onto CRM records, one call each within the CRM's rate "
                "limit (they never hold up the flows)…"
            )
            % {"count": pending}
        )
        result = demo_sync.send_write_backs()
        self.stdout.write(
            _("  %(done)d written, %(failed)d failed, %(left)d left for the next run.")
            % {"done": result.done, "failed": result.failed, "left": demo_sync.pending_write_backs()}
        )

    def _queue_write_backs(self):
        pending = demo_sync.pending_write_backs()
        if pending:
            QueueDispatcher().drain_write_backs()
            self.stdout.write(
                _("The worker writes %(count)d ERP numbers back onto CRM records in the background.")
                % {"count": pending}
            )

    def _wall_time(self, started):
        self.stdout.write(_("Wall time: %(seconds).1f s") % {"seconds": time.monotonic() - started})

    def _problems(self, result):
        for summary in result.summaries:
            if summary.status == "failed" and summary.message:
                self.stdout.write(self.style.ERROR(f"  {summary.slug}: {summary.message}"))
        if result.problems:
            self.stdout.write("")
            self.stdout.write(
                self.style.WARNING(
                    _("Records that did not sync, and why (%(count)d):") % {"count": len(result.problems)}
                )
            )
        for record in result.problems:
            reason = Truncator(record.error_message).chars(300)
            self.stdout.write(f"  · {record.flow.slug} [{record.get_status_display()}] {reason}")
        if result.open_problems:
            self.stdout.write(
                _(
                    "%(count)d records need attention in all: open Records in the console, filter by "
                    "status, fix the mapping or the data, and re-run them."
                )
                % {"count": result.open_problems}
            )

    def _print_login(self, base_url, login):
        self.stdout.write(_("Console: %(url)s/admin/") % {"url": base_url})
        self.stdout.write(_("Sign in as %(username)s with password %(password)s") % login.__dict__)


@contextmanager
def _log_to_file(path):
    """Send log records to ``path`` instead of the terminal's handlers, which keep warnings and errors."""
    root = logging.getLogger()
    console = [handler for handler in root.handlers if type(handler) is logging.StreamHandler]
    levels = [handler.level for handler in console]
    to_file = logging.FileHandler(path, encoding="utf-8")
    if console:
        to_file.setFormatter(console[0].formatter)
        for log_filter in console[0].filters:
            to_file.addFilter(log_filter)
    root.addHandler(to_file)
    for handler in console:
        handler.setLevel(max(handler.level, logging.WARNING))
    try:
        yield
    finally:
        root.removeHandler(to_file)
        to_file.close()
        for handler, level in zip(console, levels, strict=True):
            handler.setLevel(level)


class Reporter:
    """Tells the person at the terminal what the demo's sync is doing."""

    def __init__(self, command):
        self.command = command
        self.out = command.stdout
        self.interactive = self.out.isatty()
        self.bar = None

    def phase(self, number):
        heading = {
            1: _("Syncing master data and CRM → ERP, parents first"),
            2: _("Syncing what the ERP did back to the CRM"),
        }[number]
        self.out.write(self.command.style.MIGRATE_HEADING(heading))

    def started(self, flow):
        self.bar = ProgressBar(self.out, flow.slug, self.interactive)
        return self.bar

    def finished(self, flow, run):
        self.bar.finish(run)

    def simulated(self, what):
        self.out.write(
            _(
                "  The ERP's users at work: %(orders)d orders audited, %(notices)d delivery notices and "
                "%(outstocks)d outbound documents made, %(receipts)d receipts recorded."
            )
            % {
                "orders": what.get("audited_orders", 0),
                "notices": what.get("delivery_notices", 0),
                "outstocks": what.get("outstocks", 0),
                "receipts": what.get("receipts", 0),
            }
        )
