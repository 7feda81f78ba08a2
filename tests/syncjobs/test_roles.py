import pytest
from django.contrib.auth.models import Group, Permission

from syncjobs.services.roles import FINANCE_REVIEWERS, INTEGRATION_ADMINS, is_integration_admin

pytestmark = pytest.mark.django_db


def codenames(group_name):
    group = Group.objects.get(name=group_name)
    return {
        f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.select_related("content_type")
    }


def test_finance_reviewers_hold_exactly_view_of_the_audit_trail():
    assert codenames(FINANCE_REVIEWERS) == {
        "syncjobs.view_syncrun",
        "syncjobs.view_syncrecord",
        "syncjobs.view_crossreference",
        "syncjobs.view_reconciliationreport",
    }


def test_integration_admins_hold_every_permission_of_the_hub_apps():
    expected = {
        f"{p.content_type.app_label}.{p.codename}"
        for p in Permission.objects.filter(content_type__app_label__in=["syncjobs", "connectors", "django_q"])
    }
    held = codenames(INTEGRATION_ADMINS)
    assert held == expected
    for codename in [
        "syncjobs.add_syncflow",
        "syncjobs.change_fieldmapping",
        "syncjobs.view_connector",
        "syncjobs.change_connector",
        "syncjobs.test_connector",
        "syncjobs.run_syncflow",
        "syncjobs.rerun_syncrecord",
        "syncjobs.view_syncrecord",
        "django_q.view_schedule",
        "django_q.change_schedule",
    ]:
        assert codename in held
    assert not any(c.startswith("auth.") for c in held)


def test_integration_admin_is_a_superuser_or_group_member(
    integration_admin, finance_reviewer, staff_without_role
):
    assert is_integration_admin(integration_admin)
    assert not is_integration_admin(finance_reviewer)
    assert not is_integration_admin(staff_without_role)
    staff_without_role.is_superuser = True
    assert is_integration_admin(staff_without_role)
