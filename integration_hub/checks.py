"""Deployment checks (``manage.py check --deploy``, run by ``manage.py setup``).

Production serves the console's static files through whitenoise's manifest storage: a page
whose stylesheet is missing from ``staticfiles.json`` is a 500, not a plain-looking page.
These checks find that before the first visitor does. They are deploy-only because
``migrate`` runs the ordinary checks, and ``setup`` migrates before it collects the files.
"""

import json

from django.conf import settings
from django.contrib.staticfiles.finders import get_finders
from django.contrib.staticfiles.storage import ManifestFilesMixin, staticfiles_storage
from django.core.checks import Error, register
from django.utils.translation import gettext as _

# The patterns ``collectstatic`` skips by default; the files they match are never collected.
IGNORED_PATTERNS = ["CVS", ".*", "*~"]
SHOWN_MISSING = 5


@register(deploy=True)
def static_manifest(app_configs=None, **kwargs):
    """An error when the manifest is missing or lacks a static file the apps ship."""
    if not isinstance(staticfiles_storage, ManifestFilesMixin):
        return []  # development storage: files are served straight from the apps
    manifest = _read_manifest()
    if manifest is None:
        return [
            Error(
                _("The static files manifest %(path)s is missing: every console page would fail.")
                % {"path": settings.STATIC_ROOT / staticfiles_storage.manifest_name},
                hint=_("Run `python manage.py setup` (or `python manage.py collectstatic`)."),
                id="integration_hub.E001",
            )
        ]
    missing = sorted(_shipped_files() - manifest)
    if missing:
        return [
            Error(
                _("%(count)d static files are not collected (e.g. %(files)s): pages using them would fail.")
                % {"count": len(missing), "files": ", ".join(missing[:SHOWN_MISSING])},
                hint=_("Run `python manage.py setup` after every upgrade."),
                id="integration_hub.E002",
            )
        ]
    return []


@register(deploy=True)
def allowed_hosts(app_configs=None, **kwargs):
    """An error when production answers no host name at all (every request would be a 400)."""
    if settings.DEBUG or settings.ALLOWED_HOSTS:
        return []
    return [
        Error(
            _("ALLOWED_HOSTS is empty: the console would answer every request with 400 Bad Request."),
            hint=_("Set ALLOWED_HOSTS to the host names the console is reached at, e.g. hub.example.com."),
            id="integration_hub.E003",
        )
    ]


def _read_manifest():
    content = staticfiles_storage.read_manifest()
    if content is None:
        return None
    try:
        return set(json.loads(content).get("paths", {}))
    except (ValueError, AttributeError):
        return None  # unreadable is as bad as missing: the storage cannot resolve a name


def _shipped_files():
    return {
        path.replace("\\", "/")
        for finder in get_finders()
        for path, _storage in finder.list(IGNORED_PATTERNS)
    }
