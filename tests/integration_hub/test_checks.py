"""The deployment checks: a production console whose static files were not collected fails them."""

import json

import pytest
from django.core.checks import registry
from django.core.management import call_command

from integration_hub import checks

MANIFEST_STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Django's own manifest storage: the same manifest as whitenoise's, without the compression.
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
}


@pytest.fixture
def production_static(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STORAGES = MANIFEST_STORAGES
    return settings.STATIC_ROOT


def ids(errors):
    return [error.id for error in errors]


def test_it_fails_when_the_static_manifest_is_missing(production_static):
    errors = checks.static_manifest()
    assert ids(errors) == ["integration_hub.E001"]
    assert str(production_static / "staticfiles.json") in errors[0].msg
    assert "manage.py setup" in errors[0].hint


def test_it_passes_once_the_static_files_are_collected(production_static):
    call_command("collectstatic", interactive=False, verbosity=0)
    assert checks.static_manifest() == []


def test_it_fails_when_an_upgrade_brought_files_the_manifest_lacks(production_static):
    call_command("collectstatic", interactive=False, verbosity=0)
    manifest_path = production_static / "staticfiles.json"
    manifest = json.loads(manifest_path.read_text())
    del manifest["paths"]["admin/css/base.css"]
    manifest_path.write_text(json.dumps(manifest))
    errors = checks.static_manifest()
    assert ids(errors) == ["integration_hub.E002"]
    assert "admin/css/base.css" in errors[0].msg


def test_development_serves_from_the_apps_and_needs_no_manifest(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path / "empty"
    assert settings.STORAGES["staticfiles"]["BACKEND"].endswith("StaticFilesStorage")
    assert checks.static_manifest() == []


def test_it_is_a_deployment_check():
    assert checks.static_manifest in registry.registry.get_checks(include_deployment_checks=True)
    assert checks.static_manifest not in registry.registry.get_checks(include_deployment_checks=False)


def test_production_without_allowed_hosts_fails_the_deployment_check(settings):
    settings.DEBUG = False
    settings.ALLOWED_HOSTS = []
    assert ids(checks.allowed_hosts()) == ["integration_hub.E003"]
    settings.ALLOWED_HOSTS = ["hub.example.com"]
    assert checks.allowed_hosts() == []
