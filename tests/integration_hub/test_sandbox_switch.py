"""The sandboxes are installed where they are on and absent where they are off (production).

Off, no sandbox app, database, router, admin page or URL exists, and ``manage.py sandbox`` says
so; on (this test run's settings, a local trial), all of them are there. Production is loaded in
a fresh process, as gunicorn and ``manage.py`` load it.
"""

import json

import pytest
from cryptography.fernet import Fernet
from django.conf import settings
from django.contrib import admin
from django.core.management import get_commands
from django.urls import reverse

from tests.integration_hub.processes import PROJECT_DIR, run

PRODUCTION = dict(
    SECRET_KEY="k3-Fx-" + "q8Zr2vN5mT7wX1cB4yH6jL9pD0sG3aE" * 2,
    INTEGRATION_HUB_FIELD_ENCRYPTION_KEYS=Fernet.generate_key().decode(),
    ALLOWED_HOSTS="testserver",
    LANGUAGE_CODE="en",
)
SANDBOX_APPS = ["sandbox", "sandbox.k3cloud", "sandbox.fxiaoke", "sandbox.im"]
# The sandboxes' own HTTP: their call log, and an API call of each simulated system.
SANDBOX_PAGES = [
    "/sandbox/control/calls",
    "/sandbox/k3cloud/Kingdee.BOS.WebApi.ServicesStub.AuthService.ValidateUser.common.kdsvc",
    "/sandbox/fxiaoke/cgi/corpAccessToken/get/V2",
]
HUB_PAGE = "/admin/syncjobs/syncflow/"


def sandbox_admin_pages():
    """The changelist of every sandbox model the admin has, in this (sandbox-on) process."""
    return sorted(
        reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        for model in admin.site._registry
        if model._meta.app_label.startswith("sandbox")
    )


@pytest.fixture(scope="module")
def production(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("production")
    script = str(PROJECT_DIR / "tests" / "integration_hub" / "production_site.py")
    result = run([script, *sandbox_admin_pages(), *SANDBOX_PAGES, HUB_PAGE], tmp_path, **PRODUCTION)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_production_installs_no_sandbox_app_database_or_router(production):
    assert not [app for app in production["installed_apps"] if app.startswith("sandbox")]
    assert production["databases"] == ["default"]
    assert production["routers"] == []


def test_production_admin_lists_no_sandbox_model(production):
    assert production["index_status"] == 200
    assert HUB_PAGE in production["index"]
    assert "/admin/sandbox" not in production["index"]


def test_production_answers_the_sandbox_admin_pages_and_urls_with_404(production):
    gone = sandbox_admin_pages() + SANDBOX_PAGES
    assert len(gone) > len(SANDBOX_PAGES)
    assert {url: production["statuses"][url] for url in gone} == dict.fromkeys(gone, 404)
    assert production["statuses"][HUB_PAGE] == 200


def test_production_sandbox_command_says_the_sandboxes_are_off(tmp_path):
    result = run(["manage.py", "sandbox", "serve", "--port", "8765"], tmp_path, **PRODUCTION)
    assert result.returncode == 1
    assert "The sandboxes are off in this install (INTEGRATION_HUB_SANDBOX_ENABLED is false)" in result.stderr
    assert "Traceback" not in result.stderr


def test_production_demo_asks_for_the_sandboxes_of_another_install(tmp_path):
    result = run(["manage.py", "demo", "--no-serve"], tmp_path, **PRODUCTION)
    assert result.returncode == 1
    assert (
        "The sandboxes are switched off (INTEGRATION_HUB_SANDBOX_ENABLED); give --sandbox-url."
        in result.stderr
    )


def test_where_they_are_on_the_sandbox_apps_database_and_router_are_installed():
    assert settings.SANDBOX_ENABLED
    assert [app for app in settings.INSTALLED_APPS if app.startswith("sandbox")] == SANDBOX_APPS
    assert settings.SANDBOX_DATABASE in settings.DATABASES
    assert settings.DATABASE_ROUTERS == ["sandbox.routers.SandboxRouter"]


def test_where_they_are_on_the_sandbox_command_is_the_sandbox_apps():
    assert get_commands()["sandbox"] == "sandbox"


@pytest.mark.django_db(databases=["default", "sandbox"])
def test_where_they_are_on_the_sandbox_admin_pages_answer(admin_client):
    index = admin_client.get("/admin/").content.decode()
    for page in sandbox_admin_pages():
        assert page in index
        assert admin_client.get(page).status_code == 200, page
    assert admin_client.get("/sandbox/control/calls").status_code == 200
