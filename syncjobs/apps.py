from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import m2m_changed, post_migrate
from django.utils.translation import gettext_lazy as _


class SyncjobsConfig(AppConfig):
    name = "syncjobs"
    verbose_name = _("Synchronisation")

    def ready(self):
        post_migrate.connect(_grant_new_permissions, sender=self, dispatch_uid="syncjobs_roles")
        # Imported here: these modules import the models, which exist only once the registry is ready.
        from django.contrib.auth import get_user_model

        from syncjobs import schedules
        from syncjobs.services import languages, roles

        schedules.connect_signals(self)
        m2m_changed.connect(
            roles.make_role_members_staff,
            sender=get_user_model().groups.through,
            dispatch_uid="syncjobs_role_members_staff",
        )
        user_logged_in.connect(languages.restore_at_sign_in, dispatch_uid="syncjobs_language_at_sign_in")


def _grant_new_permissions(using="default", **kwargs):
    # Models added by later migrations get their permissions after the roles migration ran;
    # integration admins must hold those too. (Imported here for the same reason as in ``ready``.)
    from syncjobs.services.roles import assign_role_permissions

    if using != "default":
        return  # roles live in the hub's database; the sandbox database has no auth tables
    assign_role_permissions()
