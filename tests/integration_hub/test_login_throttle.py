"""Sign-in throttling: wrong passwords lock a user name out from one address, a superuser unlocks.

Through the console's real sign-in form, as a person (or a script guessing passwords) uses it.
"""

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.test import Client, RequestFactory
from django.utils import translation

from integration_hub.login_throttle import client_ip

PASSWORD = "correct horse battery staple"
LOGIN = "/admin/login/?next=/admin/"


@pytest.fixture
def user(db):
    return get_user_model().objects.create_user("ops", password=PASSWORD, is_staff=True)


def sign_in(password, address="10.0.0.7", username="ops"):
    client = Client(REMOTE_ADDR=address, HTTP_ACCEPT_LANGUAGE="en")
    return client.post(LOGIN, {"username": username, "password": password, "next": "/admin/"})


def signed_in(response):
    return response.status_code == 302 and response["Location"] == "/admin/"


def test_the_right_password_after_too_many_wrong_ones_is_refused(user, settings):
    settings.AXES_FAILURE_LIMIT = 5
    for attempt in range(4):
        assert sign_in(f"guess-{attempt}").status_code == 200  # the form again, with its error
    assert sign_in("guess-4").status_code == 429  # the fifth locks
    response = sign_in(PASSWORD)
    assert response.status_code == 429
    assert not signed_in(response)


def test_the_lockout_page_says_why_for_how_long_and_who_can_unlock(user, settings):
    settings.AXES_FAILURE_LIMIT = 3
    settings.INTEGRATION_HUB_LOGIN_LOCKOUT_MINUTES = 30
    for attempt in range(3):
        sign_in(f"guess-{attempt}")
    with translation.override("en"):
        page = sign_in(PASSWORD).content.decode()
    assert "after 3 wrong passwords for this user name from your address, signing in is locked" in page
    assert "Try again in 30 minutes, or ask an administrator to unlock it now." in page


def test_the_lockout_page_speaks_chinese_by_default(user, settings):
    settings.AXES_FAILURE_LIMIT = 2
    for attempt in range(2):
        sign_in(f"guess-{attempt}")
    response = Client(REMOTE_ADDR="10.0.0.7").post(LOGIN, {"username": "ops", "password": PASSWORD})
    assert response.status_code == 429
    assert "输错密码 2 次后，登录已被锁定" in response.content.decode()


def test_fewer_failures_than_the_limit_still_let_the_right_password_in(user, settings):
    settings.AXES_FAILURE_LIMIT = 5
    for attempt in range(4):
        sign_in(f"guess-{attempt}")
    assert signed_in(sign_in(PASSWORD))


def test_the_lockout_is_per_user_name_and_address(user, settings):
    settings.AXES_FAILURE_LIMIT = 3
    get_user_model().objects.create_user("finance", password=PASSWORD, is_staff=True)
    for attempt in range(3):
        sign_in(f"guess-{attempt}", address="10.0.0.7")
    assert sign_in(PASSWORD, address="10.0.0.7").status_code == 429
    assert signed_in(sign_in(PASSWORD, address="10.0.0.8"))
    assert signed_in(sign_in(PASSWORD, address="10.0.0.7", username="finance"))


def test_a_superuser_unlocks_from_the_admin(user, settings):
    settings.AXES_FAILURE_LIMIT = 3
    for attempt in range(3):
        sign_in(f"guess-{attempt}")
    attempt = AccessAttempt.objects.get(username="ops", ip_address="10.0.0.7")
    admin = get_user_model().objects.create_superuser("root", password=PASSWORD)
    console = Client()
    console.force_login(admin)
    assert console.get("/admin/axes/accessattempt/").status_code == 200
    response = console.post(
        "/admin/axes/accessattempt/",
        {"action": "delete_selected", "_selected_action": [attempt.pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert not AccessAttempt.objects.exists()
    assert signed_in(sign_in(PASSWORD))


def test_the_client_address_comes_from_the_trusted_proxy_only(settings):
    settings.INTEGRATION_HUB_TRUSTED_PROXIES = ["127.0.0.1"]
    factory = RequestFactory()
    proxied = factory.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9")
    assert client_ip(proxied) == "203.0.113.9"  # the entry the proxy appended, not the client's own
    direct = factory.get("/", REMOTE_ADDR="198.51.100.4", HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert client_ip(direct) == "198.51.100.4"
    assert client_ip(factory.get("/", REMOTE_ADDR="127.0.0.1")) == "127.0.0.1"


def test_the_limits_come_from_the_environment():
    from django.conf import settings

    assert settings.AXES_FAILURE_LIMIT == settings.INTEGRATION_HUB_LOGIN_FAILURE_LIMIT == 5
    assert settings.AXES_COOLOFF_TIME.total_seconds() == 30 * 60
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]
