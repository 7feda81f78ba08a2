"""The header's language switch: one language on every part of the page, kept for the user."""

import re

import pytest

from syncjobs.models import UserPreference

pytestmark = pytest.mark.browser


def test_switch_to_chinese_and_django_s_own_widgets_follow(journey, admin_user):
    journey.sign_in_as(admin_user)
    page = journey.open("/admin/")
    assert page.locator("#site-name").inner_text() == "Integration Hub"
    page.select_option("#hub-language-choice", "zh-hans")
    page.click("#hub-language button")
    page.wait_for_selector("text=集成中心")
    journey.shot("index-in-chinese")
    assert UserPreference.objects.get(user=admin_user).language == "zh-hans"

    # Django's selector widget draws its buttons from the JavaScript catalogue.
    page = journey.open("/admin/syncjobs/syncflow/add/")
    page.wait_for_selector("#id_depends_on_add_all")
    chooser = page.inner_text(".selector")
    journey.shot("flow-form-in-chinese")
    # Django 5.2's zh_Hans catalogue lacks "Choose all %s"; the hub's djangojs catalogue has it.
    assert "全选依赖于" in chooser and "Choose" not in chooser and "Remove" not in chooser

    page.select_option("#hub-language-choice", "en")
    page.click("#hub-language button")
    page.wait_for_selector("text=Integration Hub")
    assert UserPreference.objects.get(user=admin_user).language == "en"


def test_the_chosen_language_follows_the_user_to_another_browser(journey, chromium, live_server, admin_user):
    UserPreference.objects.create(user=admin_user, language="zh-hans")
    journey.log_in(admin_user.username)
    assert "集成中心" in journey.page.locator("#site-name").inner_text()
    assert re.search(r"简体中文", journey.page.locator("#hub-language-choice option:checked").inner_text())
    journey.shot("signed-in-in-chinese")


def test_a_run_s_message_follows_the_switch_whatever_the_worker_spoke(journey, admin_user, failures):
    run = failures.first().run  # failed by a worker speaking English
    count = run.failed_count
    journey.sign_in_as(admin_user)
    page = journey.open(f"/admin/syncjobs/syncrun/{run.pk}/change/")
    message = page.locator(".field-message_display .readonly")
    assert message.inner_text() == f"{count} records failed."
    journey.shot("run-message-in-english")

    page.select_option("#hub-language-choice", "zh-hans")
    page.click("#hub-language button")
    page.wait_for_selector("text=集成中心")
    assert message.inner_text() == f"{count} 条记录失败。"
    journey.shot("run-message-in-chinese")
