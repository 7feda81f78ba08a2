"""One language at a time: the header's switch, remembered per user; Django's own strings follow it."""

import pytest
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse
from django.utils import translation

from syncjobs.models import UserPreference

pytestmark = pytest.mark.django_db
SWITCH = reverse("hub-set-language")


def test_the_header_offers_both_languages_with_a_labelled_choice(admin_client_csrf):
    page = admin_client_csrf.get(reverse("admin:index")).content.decode()
    assert '<label for="hub-language-choice">Language</label>' in page
    assert '<option value="zh-hans" lang="zh-hans">简体中文</option>' in page
    assert '<option value="en" lang="en" selected>English</option>' in page


def test_a_switch_is_stored_for_the_user_and_follows_them_to_another_browser(
    admin_client_csrf, integration_admin
):
    response = admin_client_csrf.post_form(SWITCH, {"language": "zh-hans", "next": "/admin/"})
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert UserPreference.objects.get(user=integration_admin).language == "zh-hans"

    other_browser = Client(HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    other_browser.force_login(integration_admin)
    page = other_browser.get(reverse("admin:index"))
    assert page["Content-Language"] == "zh-hans" and "集成中心" in page.content.decode()
    assert other_browser.cookies["django_language"].value == "zh-hans"


def test_a_language_not_offered_is_not_stored(admin_client_csrf, integration_admin):
    admin_client_csrf.post_form(SWITCH, {"language": "fr", "next": "/admin/"})
    assert not UserPreference.objects.filter(user=integration_admin).exists()


def test_a_user_who_never_chose_reads_the_browser_language(integration_admin):
    browser = Client(HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    browser.force_login(integration_admin)
    assert browser.get(reverse("admin:index"))["Content-Language"] == "en"


def test_django_s_javascript_catalogue_is_served_in_the_console_language(integration_admin):
    browser = Client(HTTP_ACCEPT_LANGUAGE="zh-CN,zh;q=0.9")
    browser.force_login(integration_admin)
    script = browser.get(reverse("admin:jsi18n")).content.decode()
    assert '"Choose all": "\\u5168\\u9009"' in script  # 全选
    # Django 5.2's own zh_Hans catalogue lacks the selector's per-field texts; the hub's has them.
    assert '"Choose all %s": "\\u5168\\u9009%s"' in script


def test_a_healthy_breaker_reads_normal_not_closed():
    with translation.override("en"):
        badge = render_to_string("syncjobs/operations/breaker_badge.html", {"state": "closed"})
    assert ">normal<" in badge and "closed" not in badge
    with translation.override("zh-hans"):
        assert ">正常<" in render_to_string("syncjobs/operations/breaker_badge.html", {"state": "closed"})
