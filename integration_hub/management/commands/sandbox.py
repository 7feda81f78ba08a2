"""``manage.py sandbox`` where the sandboxes are off: one line saying so, in the reader's language.

Where they are on, the sandbox app's own ``sandbox`` command answers instead: its apps come
before this one in ``INSTALLED_APPS`` (``settings.SANDBOX_APPS``), and Django takes a command
from the first app that has it.
"""

import argparse

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _


class Command(BaseCommand):
    help = _("Operate the simulated Fxiaoke and K3Cloud systems.")

    def add_arguments(self, parser):
        # Whatever the sandbox command would take (serve --port 8000, faults k3cloud ...) gets the
        # same answer, rather than an argument error that hides it.
        parser.add_argument("words", nargs=argparse.REMAINDER)

    def handle(self, *args, **options):
        raise CommandError(
            _(
                "The sandboxes are off in this install (INTEGRATION_HUB_SANDBOX_ENABLED is false), so there "
                "is nothing to operate. Serve them from a development install (`python manage.py sandbox "
                "serve` there), or turn them on outside production."
            )
        )
