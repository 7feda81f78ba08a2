"""Sends the simulated systems' tables to their own database alias.

The sandboxes share no tables or locks with the hub: a slow simulated ERP can never make the
hub's own writes wait. The alias is the hub's setting, so that its ``setup`` and ``demo`` commands
name the same database without importing the sandbox.
"""

from django.conf import settings

SANDBOX_DB = settings.SANDBOX_DATABASE


def _is_sandbox(app_label):
    return app_label == "sandbox" or app_label.startswith("sandbox_")


class SandboxRouter:
    def db_for_read(self, model, **hints):
        return SANDBOX_DB if _is_sandbox(model._meta.app_label) else None

    def db_for_write(self, model, **hints):
        return SANDBOX_DB if _is_sandbox(model._meta.app_label) else None

    def allow_relation(self, obj1, obj2, **hints):
        if _is_sandbox(obj1._meta.app_label) != _is_sandbox(obj2._meta.app_label):
            return False
        return None

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        if _is_sandbox(app_label):
            return db == SANDBOX_DB
        # The hub's own apps (and Django's) never get tables in the sandbox database,
        # except contenttypes/auth which the sandbox never reads: keep them out too.
        return db != SANDBOX_DB
