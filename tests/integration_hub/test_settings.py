"""Production settings: refuse to start without secrets, and pass Django's deployment check."""

import subprocess
import sys

from cryptography.fernet import Fernet

from tests.integration_hub.processes import PROJECT_DIR, SETUP, run


def test_production_refuses_to_start_without_secret_key(tmp_path):
    result = run(SETUP, tmp_path, INTEGRATION_HUB_FIELD_ENCRYPTION_KEYS=Fernet.generate_key().decode())
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


def test_production_refuses_to_start_without_credential_keys(tmp_path):
    result = run(SETUP, tmp_path, SECRET_KEY="x" * 60)
    assert result.returncode != 0
    assert "INTEGRATION_HUB_FIELD_ENCRYPTION_KEYS must be set when DEBUG is off" in result.stderr


def test_production_never_writes_development_keys(tmp_path):
    run(SETUP, tmp_path)
    assert not (tmp_path / "var" / "dev-keys.json").exists()


def test_deployment_check_passes_on_production_settings_once_set_up(tmp_path):
    production = dict(
        SECRET_KEY="k3-Fx-" + "q8Zr2vN5mT7wX1cB4yH6jL9pD0sG3aE" * 2,
        INTEGRATION_HUB_FIELD_ENCRYPTION_KEYS=Fernet.generate_key().decode(),
        ALLOWED_HOSTS="hub.example.com",
    )
    # The static files must be collected first: without them every page fails (test_checks.py).
    assert run(["manage.py", "collectstatic", "--noinput", "-v0"], tmp_path, **production).returncode == 0
    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], tmp_path, **production)
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_development_has_a_webhook_secret_derived_from_its_keys(settings):
    from integration_hub.devkeys import dev_webhook_secret

    # The test run's settings module was loaded without configuration, as a local trial.
    assert settings.INTEGRATION_HUB_WEBHOOK_SECRETS
    assert len(dev_webhook_secret({"secret_key": "x"})) == 64
    assert dev_webhook_secret({"secret_key": "x"}) != dev_webhook_secret({"secret_key": "y"})


def test_processes_starting_together_share_one_set_of_development_keys(tmp_path):
    code = "import json, sys; from pathlib import Path; from integration_hub.devkeys import load_or_create_dev_keys; print(json.dumps(load_or_create_dev_keys(Path(sys.argv[1]))))"
    starts = [
        subprocess.Popen(
            [sys.executable, "-c", code, str(tmp_path)], cwd=PROJECT_DIR, stdout=subprocess.PIPE, text=True
        )
        for _ in range(6)
    ]
    outputs = {process.communicate(timeout=60)[0] for process in starts}
    assert all(process.returncode == 0 for process in starts)
    assert len(outputs) == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dev-keys.json"]
