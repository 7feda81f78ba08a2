"""What every console page shares: the admin's login and chrome, permission checks."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse

VIEW_RECORDS = "syncjobs.view_syncrecord"
RERUN_RECORDS = "syncjobs.rerun_syncrecord"
RESOLVE_RECORDS = "syncjobs.resolve_syncrecord"
REPLAY_RECORDS = "syncjobs.replay_syncrecord"
CHANGE_FLOWS = "syncjobs.change_syncflow"
RUN_FLOWS = "syncjobs.run_syncflow"
VIEW_VERSIONS = "syncjobs.view_mappingversion"
CHANGE_VALUE_MAPS = "syncjobs.change_valuemap"


def admin_page(view):
    """``view`` behind the admin's login (staff only), CSRF protection and no-cache headers."""
    return admin.site.admin_view(view)


def require(request, *permissions):
    """Raise ``PermissionDenied`` (403) unless the user holds every permission named."""
    if not request.user.has_perms(permissions):
        raise PermissionDenied


def render(request, template, title, **context):
    """A console page inside the admin's layout."""
    return TemplateResponse(
        request, template, {**admin.site.each_context(request), "title": title, **context}
    )


def report(request, text, ok=True):
    messages.add_message(request, messages.SUCCESS if ok else messages.ERROR, text)


def first_error(form):
    """The first message of an invalid form, for a one-line notice."""
    for errors in form.errors.values():
        return errors[0]
    return ""
