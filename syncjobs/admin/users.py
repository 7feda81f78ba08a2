"""Users and groups as Django ships them, with the roles and permissions named in the reader's language.

A user added to a role group becomes staff by itself (``services.roles``); the user form
says so beside the groups, and beside "staff status", so nobody waits for a login that fails.
"""

from django import forms
from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group, User
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from syncjobs.services.roles import permission_label, role_label

GROUPS_HELP = _(
    "The roles this user holds. Adding a user to “Integration admins” or “Finance reviewers” "
    "also gives them staff status, which signing in to the console needs."
)
STAFF_HELP = _(
    "Whether the user can sign in to the console. Set by itself when the user is added to a role "
    "group; a user without a role sees no pages."
)

# Django's add-user page says this, and its own zh_Hans catalogue (5.2) lacks it: ours has it.
ADD_USER_HINT = gettext_noop("After you’ve created a user, you’ll be able to edit more user options.")


class RoleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return role_label(obj)


class PermissionChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return permission_label(obj)


def _translated_choices(db_field, kwargs):
    """The groups and permissions widgets with their names in the reader's language."""
    if db_field.name == "groups":
        kwargs["form_class"] = RoleChoiceField
        kwargs["help_text"] = GROUPS_HELP
    elif db_field.name in ("user_permissions", "permissions"):
        kwargs["form_class"] = PermissionChoiceField
    return kwargs


class HubLoginForm(AdminAuthenticationForm):
    """The admin's sign-in, saying why a right password for a user without a role is refused."""

    def confirm_login_allowed(self, user):
        if user.is_active and not user.is_staff:
            # Only after the right password: nobody learns this about an account by guessing.
            raise ValidationError(NO_ROLE, code="no_role")
        super().confirm_login_allowed(user)


NO_ROLE = _(
    "This account holds no role yet, so it cannot sign in to the console. Ask an integration admin "
    "to add it to “Integration admins” or “Finance reviewers”."
)
admin.site.login_form = HubLoginForm
admin.site.unregister(User)
admin.site.unregister(Group)


@admin.register(User)
class HubUserAdmin(UserAdmin):
    list_display = ("username", "email", "first_name", "last_name", "is_staff", "roles")

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("groups")

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if "is_staff" in form.base_fields:
            form.base_fields["is_staff"].help_text = STAFF_HELP
        return form

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        return super().formfield_for_manytomany(db_field, request, **_translated_choices(db_field, kwargs))

    @admin.display(description=_("roles"))
    def roles(self, user):
        return ", ".join(role_label(group) for group in user.groups.all()) or "–"


@admin.register(Group)
class HubGroupAdmin(GroupAdmin):
    list_display = ("role_name",)

    @admin.display(description=_("name"), ordering="name")
    def role_name(self, group):
        return role_label(group)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        return super().formfield_for_manytomany(db_field, request, **_translated_choices(db_field, kwargs))
