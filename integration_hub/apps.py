from django.contrib.admin.apps import AdminConfig as DjangoAdminConfig


class AdminConfig(DjangoAdminConfig):
    """The hub's admin site: the product's main screen."""

    default_site = "integration_hub.admin_site.HubAdminSite"
