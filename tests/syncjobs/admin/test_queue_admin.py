import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_queue_pages_stay_hidden_from_staff_granted_queue_permissions_directly(
    staff_client, staff_without_role
):
    # Only integration admins may see queued arguments or resubmit tasks, whatever else they hold.
    staff_without_role.user_permissions.add(*Permission.objects.filter(content_type__app_label="django_q"))
    for name in ("schedule", "success", "failure", "ormq"):
        assert staff_client.get(reverse(f"admin:django_q_{name}_changelist")).status_code == 403
    assert "django_q" not in staff_client.get(reverse("admin:index")).content.decode()


def test_integration_admins_see_the_queue(admin_client_csrf):
    for name in ("schedule", "success", "failure", "ormq"):
        assert admin_client_csrf.get(reverse(f"admin:django_q_{name}_changelist")).status_code == 200
    assert "/admin/django_q/" in admin_client_csrf.get(reverse("admin:index")).content.decode()
