from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SyncjobsConfig(AppConfig):
    name = "syncjobs"
    verbose_name = _("Synchronisation")
