"""The two roles the product ships with, and who counts as an integration admin."""

from django.contrib.auth.models import Group, Permission
from django.db.models import Q

INTEGRATION_ADMINS = "Integration admins"
FINANCE_REVIEWERS = "Finance reviewers"
# Integration admins hold every permission of these apps; user accounts stay with superusers.
ADMIN_APP_LABELS = ("syncjobs", "connectors", "django_q")
# Finance reviewers see (and, with the view permission, export) the audit trail only.
FINANCE_PERMISSIONS = (
    ("syncjobs", "view_syncrun"),
    ("syncjobs", "view_syncrecord"),
    ("syncjobs", "view_crossreference"),
    ("syncjobs", "view_reconciliationreport"),
)


def assign_role_permissions(group_model=Group, permission_model=Permission):
    """Create both groups if needed and give them their permissions.

    Integration admins gain any permission they lack in ``ADMIN_APP_LABELS``; finance
    reviewers get exactly ``FINANCE_PERMISSIONS``. Takes the models so a data migration can
    pass its historical ones.
    """
    admins, _created = group_model.objects.get_or_create(name=INTEGRATION_ADMINS)
    admins.permissions.add(*permission_model.objects.filter(content_type__app_label__in=ADMIN_APP_LABELS))
    finance, _created = group_model.objects.get_or_create(name=FINANCE_REVIEWERS)
    # A filter, not one get per permission: when an early migration calls this, models added
    # by later migrations have no permissions yet; the post-migrate hook grants them after.
    wanted = Q()
    for app_label, codename in FINANCE_PERMISSIONS:
        wanted |= Q(content_type__app_label=app_label, codename=codename)
    finance.permissions.set(permission_model.objects.filter(wanted))


def is_integration_admin(user):
    """Superusers and members of the integration admins group.

    Membership is remembered on the user object: the admin asks once per model and
    permission while drawing one page, and the user object lives for one request.
    """
    if not (user.is_active and user.is_staff):
        return False
    if user.is_superuser:
        return True
    if not hasattr(user, "_integration_admin"):
        user._integration_admin = user.groups.filter(name=INTEGRATION_ADMINS).exists()
    return user._integration_admin
