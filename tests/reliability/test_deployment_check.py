"""Reliability 10: Django's deployment check is clean on production settings (CI runs it too)."""

import os
import secrets
import subprocess
import sys

import pytest
from cryptography.fernet import Fernet

from tests.support.sandbox import PROJECT_DIR

pytestmark = pytest.mark.reliability

# What production must set; everything else keeps its production default.
PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": secrets.token_urlsafe(60),
    "INTEGRATION_HUB_FIELD_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
    "ALLOWED_HOSTS": "hub.example.com",
}


def test_check_deploy_reports_no_issue_at_warning_level(tmp_path):
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "DJANGO_", "INTEGRATION_HUB_"))
    }
    env.pop("DEBUG", None)
    env.update(
        PRODUCTION,
        INTEGRATION_HUB_DATA_DIR=str(tmp_path),
        STATIC_ROOT=str(tmp_path / "static"),
        DJANGO_SETTINGS_MODULE="integration_hub.settings",
    )
    # Production serves collected static files; without them the deployment check fails (E001).
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=PROJECT_DIR,
        env=env,
        check=True,
        timeout=120,
    )

    done = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert done.returncode == 0, done.stdout + done.stderr
    assert "System check identified no issues (0 silenced)." in done.stdout
    assert not (tmp_path / "dev-keys.json").exists()  # production never falls back to development keys
