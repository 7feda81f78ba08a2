"""``manage.py sandbox``: seed, fault switches, clock, call log, business simulation, serving."""

import json

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from integration_hub.environment import SetupProblem, listening, port_number, require_database
from sandbox import faults, registry, services
from sandbox.routers import SANDBOX_DB


def _parse_assignment(text):
    name, sep, raw = text.partition("=")
    if not sep:
        raise CommandError(_("--set takes name=value, not %(text)s.") % {"text": text})
    try:
        return name, json.loads(raw)
    except ValueError:
        return name, raw


class Command(BaseCommand):
    help = _("Operate the simulated Fxiaoke and K3Cloud systems.")

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)

        seed = sub.add_parser(
            "seed", help=_("Create a fresh tenant in each sandbox from one coherent data set.")
        )
        seed.add_argument(
            "--size", type=int, default=50, help=_("number of customers (the rest scales with it)")
        )
        seed.add_argument("--seed", type=int, default=42, help=_("random seed of the data set"))
        seed.add_argument(
            "--system", action="append", dest="systems", help=_("only this system (repeatable)")
        )
        seed.add_argument(
            "--json", action="store_true", help=_("print the tenants' connection details as JSON")
        )

        fault = sub.add_parser("faults", help=_("Show or change a system's fault switches."))
        fault.add_argument("system")
        fault.add_argument("--latency-ms", type=float, help=_("milliseconds added to every call"))
        fault.add_argument("--error-rate", type=float, help=_("share of calls answered HTTP 500"))
        fault.add_argument(
            "--timeout-rate", type=float, help=_("share of calls held past the client's timeout")
        )
        fault.add_argument("--reset-rate", type=float, help=_("share of calls whose connection is reset"))
        fault.add_argument(
            "--drop-after-commit-rate", type=float, help=_("share of calls done, then dropped")
        )
        fault.add_argument("--hold-seconds", type=float, help=_("how long a timeout holds the request"))
        fault.add_argument("--operation", action="append", dest="operations", help=_("limit faults to it"))
        fault.add_argument(
            "--set", action="append", default=[], metavar="NAME=VALUE", help=_("any other switch")
        )
        fault.add_argument("--seed", type=int, help=_("seed of the fault draws"))
        fault.add_argument("--expire-sessions", action="store_true", help=_("expire every session/token now"))
        fault.add_argument(
            "--clear",
            action="store_true",
            help=_("back to no faults before applying the rest (the demo's webhook stays connected)"),
        )

        clock = sub.add_parser("clock", help=_("Move a system's clock forward."))
        clock.add_argument("system")
        clock.add_argument("--advance", type=float, required=True, help=_("seconds"))

        calls = sub.add_parser("calls", help=_("Print the call log."))
        calls.add_argument("--system")
        calls.add_argument("--tenant")
        calls.add_argument("--after-id", type=int, default=0)

        simulate = sub.add_parser("simulate", help=_("Act like the system's users on the data it holds."))
        simulate.add_argument("system")
        simulate.add_argument("--tenant", help=_("account set / tenant to act on (default: every tenant)"))
        simulate.add_argument("--ship", type=float, help=_("share of audited orders to ship"))
        simulate.add_argument(
            "--receive", type=float, help=_("share of audited orders to receive payment for")
        )
        simulate.add_argument("--seed", type=int, default=7)

        sub.add_parser("reset", help=_("Delete every sandbox tenant, record, switch and call."))

        serve = sub.add_parser(
            "serve", help=_("Serve the console and the sandboxes over HTTP (no autoreload).")
        )
        serve.add_argument("--host", default="127.0.0.1")
        serve.add_argument("--port", type=port_number, default=8000, help=_("0 picks a free port"))
        serve.add_argument("--port-file", help=_("write the bound port to this file once listening"))

    def handle(self, *args, action, **options):
        handler = getattr(self, f"handle_{action}")
        if action != "serve":
            require_database(SANDBOX_DB)
        try:
            return handler(**options)
        except (LookupError, ValueError) as error:
            raise CommandError(str(error)) from error

    def handle_seed(self, size, seed, systems, json, **_unused):
        result = services.seed(size=size, seed=seed, systems=systems)
        if json:
            self.stdout.write(_dumps(result))
            return
        for name, details in result.items():
            self.stdout.write(
                f"{name}: " + ", ".join(f"{k}={v}" for k, v in details.items() if "secret" not in k)
            )

    def handle_faults(self, system, set, seed, expire_sessions, clear, **options):  # noqa: A002
        values = {
            name: options[name]
            for name in (
                "latency_ms",
                "error_rate",
                "timeout_rate",
                "reset_rate",
                "drop_after_commit_rate",
                "hold_seconds",
                "operations",
            )
            if options.get(name) is not None
        }
        values.update(dict(_parse_assignment(item) for item in set))
        current = services.set_faults(
            system, values, seed=seed, reset=clear, expire_sessions=expire_sessions, keep_connections=True
        )
        self.stdout.write(_dumps({system: current}))

    def handle_clock(self, system, advance, **_unused):
        self.stdout.write(_dumps({system: {"offset_seconds": services.advance_clock(system, advance)}}))

    def handle_calls(self, system, tenant, after_id, **_unused):
        for call in services.calls(system=system, tenant=tenant, after_id=after_id):
            self.stdout.write(_dumps(call))

    def handle_simulate(self, system, **options):
        options = {
            k: v for k, v in options.items() if k in ("tenant", "ship", "receive", "seed") and v is not None
        }
        self.stdout.write(_dumps(services.simulate(system, **options)))

    def handle_reset(self, **_unused):
        services.reset()
        self.stdout.write(_("Sandboxes reset."))

    def _warn_if_console_not_set_up(self):
        # The sandboxes need only their own database; the console's pages would answer 500.
        try:
            require_database()
        except SetupProblem as problem:
            self.stderr.write(
                _("%(problem)s Until then only the sandboxes answer; the console's pages do not.")
                % {"problem": problem}
            )

    def handle_serve(self, host, port, port_file, **_unused):
        from django.core.wsgi import get_wsgi_application

        from sandbox.server import make_server

        call_command("migrate", database=SANDBOX_DB, verbosity=0)
        self._warn_if_console_not_set_up()
        for system, values in settings.SANDBOX_FAULTS.items():
            faults.set_faults(system, **values)
        server = listening(lambda: make_server(host, port, get_wsgi_application()), host, port)
        bound = server.server_address[1]
        if port_file:
            with open(port_file, "w") as handle:
                handle.write(str(bound))
        self.stdout.write(
            _("Serving on http://%(host)s:%(port)s/ (sandboxes: %(systems)s)")
            % {"host": host, "port": bound, "systems": ", ".join(sorted(registry.SYSTEMS))}
        )
        try:
            server.serve_forever(poll_interval=0.2)
        except KeyboardInterrupt:
            pass
        finally:
            server.server_close()


def _dumps(value):
    return json.dumps(value, ensure_ascii=False, default=str)
