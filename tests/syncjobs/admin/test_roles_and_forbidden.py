"""Roles that fit: role members may sign in, the role's pages link only where it may go, and a
page it may not open says so inside the admin with a way back."""

import re

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client
from django.urls import reverse
from django.utils import translation

from syncjobs.models import SyncRecord
from syncjobs.services.roles import FINANCE_REVIEWERS, INTEGRATION_ADMINS, permission_label, role_label
from tests.syncjobs.factories import make_flow, make_mapping, make_records, make_run

pytestmark = pytest.mark.django_db
PASSWORD = "Roles-that-fit-9c1d"


def newcomer(username="nina"):
    return User.objects.create_user(username, f"{username}@example.com", PASSWORD)


@pytest.mark.parametrize("role", [INTEGRATION_ADMINS, FINANCE_REVIEWERS])
def test_a_user_added_to_a_role_group_becomes_staff_and_can_sign_in(role):
    user = newcomer()
    form = {"username": "nina", "password": PASSWORD, "next": "/admin/"}
    assert Client().post(reverse("admin:login"), form).status_code == 200  # refused: not staff
    user.groups.add(Group.objects.get(name=role))
    user.refresh_from_db()
    assert user.is_staff
    response = Client().post(reverse("admin:login"), form)
    assert response.status_code == 302 and response["Location"] == "/admin/"


def test_members_added_from_the_group_side_become_staff_too():
    first, second = newcomer("nina"), newcomer("noah")
    Group.objects.get(name=FINANCE_REVIEWERS).user_set.add(first, second)
    assert set(User.objects.filter(is_staff=True).values_list("username", flat=True)) == {"nina", "noah"}


def test_a_group_that_is_no_role_leaves_staff_status_alone():
    user = newcomer()
    user.groups.add(Group.objects.create(name="Newsletter"))
    user.refresh_from_db()
    assert not user.is_staff


def test_the_user_form_says_that_a_role_makes_the_user_staff(admin_client_csrf, settings):
    settings.LANGUAGE_CODE = "en"
    admin = User.objects.create_superuser("root", "root@example.com", PASSWORD)
    client = Client()
    client.force_login(admin)
    page = client.get(reverse("admin:auth_user_change", args=[newcomer().pk])).content.decode()
    assert "also gives them staff status" in page
    assert "Set by itself when the user is added to a role group" in page


def test_roles_and_permissions_read_in_chinese_in_the_user_form(settings):
    settings.LANGUAGE_CODE = "zh-hans"
    admin = User.objects.create_superuser("root", "root@example.com", PASSWORD)
    client = Client()
    client.force_login(admin)
    page = client.get(reverse("admin:auth_user_change", args=[newcomer().pk])).content.decode()
    assert ">集成管理员</option>" in page and ">财务审阅</option>" in page
    assert "Finance reviewers</option>" not in page
    assert "Can view" not in page and "可查看" in page
    assert "After you’ve created a user" not in client.get(reverse("admin:auth_user_add")).content.decode()


def test_permission_labels_follow_the_reader_language():
    from django.contrib.auth.models import Permission

    view_runs = Permission.objects.get(codename="view_syncrun")
    rerun = Permission.objects.get(codename="rerun_syncrecord")
    with translation.override("en"):
        assert permission_label(view_runs) == "Synchronisation | run | Can view run"
        assert permission_label(rerun).endswith("| record | Can re-run records")
        assert role_label(Group.objects.get(name=FINANCE_REVIEWERS)) == "Finance reviewers"
    with translation.override("zh-hans"):
        assert "Can" not in permission_label(view_runs) and "Can" not in permission_label(rerun)


@pytest.fixture
def audit_world():
    flow = make_flow()
    make_mapping(flow, "FName", "name")
    run = make_run(flow)
    make_records(run, 2, status="failed", error_message="duplicate number")
    return {"flow": flow, "run": run, "record": SyncRecord.objects.first()}


def links(page):
    content = page.split('id="content"', 1)[-1]
    return {href.replace("&amp;", "&") for href in re.findall(r'href="(/admin/[^"#]*)"', content)}


def test_the_pages_a_finance_reviewer_reads_link_only_to_pages_it_may_open(finance_client, audit_world):
    pages = [
        reverse("admin:index"),
        reverse("admin:syncjobs_syncrun_change", args=[audit_world["run"].pk]),
        reverse("admin:syncjobs_syncrecord_change", args=[audit_world["record"].pk]),
        reverse("console:record_timeline", args=[audit_world["record"].pk]),
        reverse("console:flow_failures", args=[audit_world["flow"].pk]),
    ]
    found = set()
    for url in pages:
        response = finance_client.get(url)
        assert response.status_code == 200, url
        found |= links(response.content.decode())
    assert found
    forbidden = [url for url in sorted(found) if finance_client.get(url).status_code == 403]
    assert forbidden == []


def test_a_page_the_role_cannot_open_is_in_the_admin_layout_with_a_way_back(finance_client, audit_world):
    back = "http://testserver" + reverse("admin:syncjobs_syncrun_changelist")
    response = finance_client.get(reverse("admin:syncjobs_connector_changelist"), HTTP_REFERER=back)
    page = response.content.decode()
    assert response.status_code == 403
    assert 'id="site-name"' in page and "Your role does not include this page" in page
    assert f'href="{back}" id="forbidden-back"' in page


def test_a_way_back_never_leads_to_another_site(finance_client, audit_world):
    response = finance_client.get(
        reverse("admin:syncjobs_connector_changelist"), HTTP_REFERER="https://evil.example/"
    )
    assert response.status_code == 403
    assert "evil.example" not in response.content.decode()


def test_signing_in_without_a_role_says_why():
    newcomer()
    form = {"username": "nina", "password": PASSWORD, "next": "/admin/"}
    page = Client().post(reverse("admin:login"), form).content.decode()
    assert "This account holds no role yet" in page


def test_a_wrong_password_says_nothing_about_roles():
    newcomer()
    form = {"username": "nina", "password": "wrong", "next": "/admin/"}
    page = Client().post(reverse("admin:login"), form).content.decode()
    assert "no role" not in page and "Please enter the correct" in page
