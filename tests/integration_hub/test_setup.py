"""``manage.py setup`` on a fresh production data folder, and again as an upgrade."""

import json

from cryptography.fernet import Fernet

from tests.integration_hub.processes import run

PRODUCTION = dict(
    SECRET_KEY="k3-Fx-" + "q8Zr2vN5mT7wX1cB4yH6jL9pD0sG3aE" * 2,
    INTEGRATION_HUB_FIELD_ENCRYPTION_KEYS=Fernet.generate_key().decode(),
    ALLOWED_HOSTS="hub.example.com",
    LANGUAGE_CODE="en",
)
ROLES = (
    "import json, django; django.setup(); from django.contrib.auth.models import Group; "
    "print(json.dumps({g.name: g.permissions.count() for g in Group.objects.all()}))"
)


def test_setup_makes_a_fresh_install_pass_the_deployment_checks(tmp_path):
    result = run(["manage.py", "setup"], tmp_path, **PRODUCTION)
    assert result.returncode == 0, result.stderr + result.stdout
    assert "Set-up complete." in result.stdout
    assert (tmp_path / "var" / "integration_hub.sqlite3").is_file()
    assert not (tmp_path / "var" / "sandbox.sqlite3").exists()  # the sandboxes are off in production
    assert (tmp_path / "static" / "staticfiles.json").is_file()
    assert not (tmp_path / "var" / "dev-keys.json").exists()
    roles = json.loads(run(["-c", ROLES], tmp_path, **PRODUCTION).stdout)
    assert set(roles) == {"Integration admins", "Finance reviewers"}
    assert roles["Finance reviewers"] == 4
    assert roles["Integration admins"] > 4
    check = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], tmp_path, **PRODUCTION)
    assert check.returncode == 0, check.stderr


def test_setup_runs_again_as_an_upgrade(tmp_path):
    assert run(["manage.py", "setup"], tmp_path, **PRODUCTION).returncode == 0
    again = run(["manage.py", "setup"], tmp_path, **PRODUCTION)
    assert again.returncode == 0, again.stderr
    assert "Set-up complete." in again.stdout


def test_setup_migrates_the_sandboxes_database_where_they_are_on(tmp_path):
    result = run(["manage.py", "setup"], tmp_path, **PRODUCTION, INTEGRATION_HUB_SANDBOX_ENABLED="true")
    assert result.returncode == 0, result.stderr + result.stdout
    assert "Migrating the sandboxes' database" in result.stdout
    assert (tmp_path / "var" / "sandbox.sqlite3").is_file()


def test_setup_fails_when_the_deployment_check_does(tmp_path):
    result = run(["manage.py", "setup"], tmp_path, **{**PRODUCTION, "ALLOWED_HOSTS": ""})
    assert result.returncode == 1
    assert "integration_hub.E003" in result.stderr
    assert "Set-up complete." not in result.stdout
