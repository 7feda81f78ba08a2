"""The 403 page: inside the admin's layout for admin pages, Django's plain one elsewhere."""

from django.contrib import admin
from django.template.response import TemplateResponse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import defaults

ADMIN_PREFIX = "/admin/"


def permission_denied(request, exception=None):
    """``handler403``: a signed-in console user gets a styled page with a way back."""
    if not request.path.startswith(ADMIN_PREFIX) or not request.user.is_authenticated:
        return defaults.permission_denied(request, exception)
    context = {
        **admin.site.each_context(request),
        "title": _("You cannot open this page"),
        "back": _safe_referer(request),
    }
    return TemplateResponse(request, "admin/403.html", context, status=403).render()


def _safe_referer(request):
    referer = request.headers.get("Referer", "")
    if (
        referer
        and referer != request.build_absolute_uri()
        and url_has_allowed_host_and_scheme(
            referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        return referer
    return ""
