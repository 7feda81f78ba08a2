from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class SyncjobsConfig(AppConfig):
    name = "syncjobs"
    verbose_name = _("Synchronisation")

    def ready(self):
        post_migrate.connect(_grant_new_permissions, sender=self, dispatch_uid="syncjobs_roles")
        from syncjobs import schedules

        schedules.connect_signals(self)


def _grant_new_permissions(using="default", **kwargs):
    # Models added by later migrations get their permissions after the roles migration ran;
    # integration admins must hold those too.
    from syncjobs.services.roles import assign_role_permissions

    if using != "default":
        return  # roles live in the hub's database; the sandbox database has no auth tables
    assign_role_permissions()
