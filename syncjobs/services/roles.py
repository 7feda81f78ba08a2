"""The two roles the product ships with, who counts as an integration admin, and their names as read.

The groups' names are stored in English (code and migrations find them by it); people read
them, and the permissions' names, in their own language through ``role_label`` and
``permission_label``.
"""

from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

INTEGRATION_ADMINS = "Integration admins"
FINANCE_REVIEWERS = "Finance reviewers"
ROLE_LABELS = {INTEGRATION_ADMINS: _("Integration admins"), FINANCE_REVIEWERS: _("Finance reviewers")}
ROLE_NAMES = tuple(ROLE_LABELS)
# Django names the four default permissions "Can add <model>" in English when it creates them.
_DEFAULT_ACTIONS = {
    "add": _("Can add %(model)s"),
    "change": _("Can change %(model)s"),
    "delete": _("Can delete %(model)s"),
    "view": _("Can view %(model)s"),
}
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


def role_label(group):
    """A group's name in the reader's language (the shipped roles translated, others as stored)."""
    return str(ROLE_LABELS.get(group.name, group.name))


def permission_label(permission):
    """``app | model | permission`` in the reader's language, as Django shows it in English."""
    model = permission.content_type.model_class()
    if model is None:  # a model removed since; Django's own wording
        return str(permission)
    action, _sep, model_name = permission.codename.partition("_")
    if action in _DEFAULT_ACTIONS and model_name == model._meta.model_name:
        name = _DEFAULT_ACTIONS[action] % {"model": model._meta.verbose_name}
    else:
        name = gettext(permission.name)  # custom permissions are declared with gettext_lazy
    app = apps.get_app_config(permission.content_type.app_label).verbose_name
    return f"{app} | {model._meta.verbose_name} | {name}"


def make_role_members_staff(sender, instance, action, reverse, model, pk_set, **kwargs):
    """``m2m_changed`` receiver for ``User.groups``: a member of a role group may sign in.

    The console is the admin, which lets only staff in; a user added to a role (from the
    user's form or the group's side) is made staff, so the role works without a second tick.
    """
    if action != "post_add" or not pk_set:
        return
    user_model = instance.__class__ if not reverse else model
    if not reverse:
        if Group.objects.filter(pk__in=pk_set, name__in=ROLE_NAMES).exists() and not instance.is_staff:
            user_model.objects.filter(pk=instance.pk).update(is_staff=True)
            instance.is_staff = True
    elif instance.name in ROLE_NAMES:
        user_model.objects.filter(pk__in=pk_set, is_staff=False).update(is_staff=True)
