from django.apps import AppConfig
from django.contrib.admin.apps import AdminConfig as DjangoAdminConfig
from django.utils.translation import gettext_lazy as _


class AdminConfig(DjangoAdminConfig):
    """The hub's admin site: the product's main screen."""

    default_site = "integration_hub.admin_site.HubAdminSite"


class HubConfig(AppConfig):
    """The project package itself: it owns the deployment checks."""

    name = "integration_hub"
    verbose_name = _("Integration Hub")

    def ready(self):
        from integration_hub import checks  # noqa: F401  (registers the checks)
