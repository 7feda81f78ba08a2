"""``manage.py demo``: the product on its sandboxes, in one command."""

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from integration_hub.serving import ConsoleServer
from sandbox.routers import SANDBOX_DB
from syncjobs.services import demo


class Command(BaseCommand):
    help = "Seed both sandboxes, connect the hub to them and serve the console with a worker."

    def add_arguments(self, parser):
        parser.add_argument("--no-serve", action="store_true", help="do the set-up and sync, then exit")
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--size", type=int, default=200, help="customers in the seeded business")

    def handle(self, *args, no_serve, host, port, size, **options):
        call_command("migrate", verbosity=0)
        call_command("migrate", database=SANDBOX_DB, verbosity=0)
        server = ConsoleServer(host, port).start()
        try:
            login = demo.ensure_admin()
            connectors = demo.ensure_connectors(server.base_url, size=size)
            if connectors.seeded:
                self.stdout.write(_("Seeded both sandboxes and created their connectors."))
            self._print_login(server.base_url, login)
        except BaseException:
            server.stop()
            raise
        if no_serve:
            server.stop()
            return
        server.start_worker()
        self.stdout.write(_("Press Ctrl-C to stop the web server and the worker."))
        server.wait()

    def _print_login(self, base_url, login):
        self.stdout.write(_("Console: %(url)s/admin/") % {"url": base_url})
        self.stdout.write(_("Sign in as %(username)s with password %(password)s") % login.__dict__)
