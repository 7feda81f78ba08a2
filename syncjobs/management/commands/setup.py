"""``python manage.py setup``: install or upgrade, in one command, safe to run again."""

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import DEFAULT_DB_ALIAS
from django.utils.translation import gettext as _

from syncjobs.services.roles import assign_role_permissions


class Command(BaseCommand):
    help = _(
        "Set up or upgrade this installation: migrate the hub's database (and the sandboxes', where they "
        "are enabled), collect the static files, create the two roles and their permissions, then run the system checks "
        "(with the deployment checks when DEBUG is off). Run it after every install and upgrade."
    )
    # The checks run last, on the finished installation: before collectstatic the deployment
    # checks would fail on the missing static manifest this command is about to write.
    requires_system_checks = []

    def handle(self, *args, verbosity, **options):
        quiet = max(verbosity - 1, 0)
        self._step(_("Migrating the hub's database"))
        self._migrate(DEFAULT_DB_ALIAS, quiet)
        if settings.SANDBOX_ENABLED:
            self._step(_("Migrating the sandboxes' database"))
            self._migrate(settings.SANDBOX_DATABASE, quiet)
        self._step(_("Collecting the static files into %(path)s") % {"path": settings.STATIC_ROOT})
        call_command("collectstatic", interactive=False, verbosity=quiet, skip_checks=True)
        self._step(_("Creating the roles (integration admins, finance reviewers)"))
        assign_role_permissions()
        self._step(_("Checking the installation") if settings.DEBUG else _("Checking the deployment"))
        # Raises SystemCheckError (exit status 1) on any error; warnings are printed.
        call_command("check", deploy=not settings.DEBUG)
        self.stdout.write(self.style.SUCCESS(_("Set-up complete.")))

    def _migrate(self, database, verbosity):
        call_command("migrate", database=database, interactive=False, verbosity=verbosity, skip_checks=True)

    def _step(self, text):
        self.stdout.write(self.style.MIGRATE_HEADING(text + "…"))
