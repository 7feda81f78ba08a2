import pytest
from cryptography.fernet import Fernet
from django.contrib.auth.models import Group, User
from django.test import Client

from syncjobs.services.roles import FINANCE_REVIEWERS, INTEGRATION_ADMINS

TEST_KEY = Fernet.generate_key().decode()


@pytest.fixture(autouse=True)
def encryption_keys(settings):
    """One known credential key per test run, never the development key file."""
    settings.FIELD_ENCRYPTION_KEYS = [TEST_KEY]
    return settings.FIELD_ENCRYPTION_KEYS


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"


def _staff(username, group_name=None, **extra):
    user = User.objects.create_user(username, f"{username}@example.com", is_staff=True, **extra)
    if group_name:
        user.groups.add(Group.objects.get(name=group_name))
    return user


@pytest.fixture
def integration_admin(db):
    return _staff("alice", INTEGRATION_ADMINS)


@pytest.fixture
def finance_reviewer(db):
    return _staff("fiona", FINANCE_REVIEWERS)


@pytest.fixture
def staff_without_role(db):
    return _staff("sam")


class CsrfClient(Client):
    """A test client that enforces CSRF like a browser session, with a helper to post forms."""

    def __init__(self, user):
        super().__init__(enforce_csrf_checks=True)
        self.force_login(user)

    def csrf_token(self):
        if "csrftoken" not in self.cookies:
            self.get("/admin/")
        return self.cookies["csrftoken"].value

    def post_form(self, url, data=None, **kwargs):
        return self.post(url, {**(data or {}), "csrfmiddlewaretoken": self.csrf_token()}, **kwargs)


@pytest.fixture
def admin_client_csrf(integration_admin):
    return CsrfClient(integration_admin)


@pytest.fixture
def finance_client(finance_reviewer):
    return CsrfClient(finance_reviewer)


@pytest.fixture
def staff_client(staff_without_role):
    return CsrfClient(staff_without_role)
