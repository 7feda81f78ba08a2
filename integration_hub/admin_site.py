from django.contrib import admin
from django.utils.translation import gettext_lazy as _


class HubAdminSite(admin.AdminSite):
    site_header = _("Integration Hub")
    site_title = _("Integration Hub")
    index_title = _("CRM ⇄ ERP synchronisation")
