"""Template tags of the operations console: the dashboard, progress bars, durations in words."""

from django import template
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from syncjobs.operations import control, dashboard
from syncjobs.operations.progress import progress_of

register = template.Library()

DASHBOARD_PERMISSION = "syncjobs.view_syncrun"


@register.inclusion_tag("syncjobs/operations/dashboard.html", takes_context=True)
def operations_dashboard(context):
    """The dashboard, for users who may view runs; nothing for everyone else."""
    request = context["request"]
    if not request.user.has_perm(DASHBOARD_PERMISSION):
        return {"board": None}
    return {"board": dashboard.build(), "perms": context.get("perms")}


@register.inclusion_tag("syncjobs/operations/progress_widget.html")
def run_progress(run):
    """A progress bar for ``run``, filled now and kept fresh by ``progress.js``."""
    return {"progress": progress_of(run), "run_id": run.pk}


@register.simple_tag
def flow_is_paused(flow):
    return control.is_paused(flow)


@register.filter
def duration_words(value):
    """A ``timedelta`` (or seconds) as "45 s", "12 min", "3 h 5 min" or "2 days"."""
    if value is None or value == "":
        return "–"
    seconds = int(value.total_seconds() if hasattr(value, "total_seconds") else float(value))
    if seconds < 60:
        return _("%(seconds)d s") % {"seconds": max(seconds, 0)}
    if seconds < 3600:
        return _("%(minutes)d min") % {"minutes": seconds // 60}
    if seconds < 2 * 86400:
        return _("%(hours)d h %(minutes)d min") % {"hours": seconds // 3600, "minutes": seconds % 3600 // 60}
    days = seconds // 86400
    return ngettext("%(days)d day", "%(days)d days", days) % {"days": days}
