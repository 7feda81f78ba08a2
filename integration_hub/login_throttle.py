"""Sign-in throttling with django-axes: who is signing in, and what a locked-out person sees.

After ``INTEGRATION_HUB_LOGIN_FAILURE_LIMIT`` wrong passwords for one user name from one address,
that pair is refused for ``INTEGRATION_HUB_LOGIN_LOCKOUT_MINUTES``, the right password included;
a superuser unlocks it earlier by deleting the attempt under *Axes › Access attempts*.
"""

from django.conf import settings
from django.contrib import admin
from django.shortcuts import render


def client_ip(request):
    """The address a sign-in came from, as the trusted reverse proxy saw it.

    Behind the proxy every request arrives from the proxy's own address, which would lock out
    everyone at once; the proxy appends the real one to ``X-Forwarded-For`` (nginx's
    ``$proxy_add_x_forwarded_for``). The header is believed only from the trusted proxies,
    and only its last entry, the one the proxy wrote: earlier ones come from the client.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if forwarded and remote in settings.INTEGRATION_HUB_TRUSTED_PROXIES:
        return forwarded.split(",")[-1].strip() or remote
    return remote


def locked_out(request, original_response=None, credentials=None):
    """The sign-in page's answer while a user name is locked out from this address (HTTP 429)."""
    context = {
        **admin.site.each_context(request),
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "minutes": settings.INTEGRATION_HUB_LOGIN_LOCKOUT_MINUTES,
    }
    return render(request, "admin/locked_out.html", context, status=429)
