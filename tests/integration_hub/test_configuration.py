"""Configuration from the environment: an empty value is the default, a bad one stops the start.

Each case loads the settings in a fresh process with exactly the given environment, the way
``manage.py``, gunicorn and the workers load them.
"""

import json

import pytest
from cryptography.fernet import Fernet

from integration_hub.envconfig import ConfigError, EnvReader
from tests.integration_hub.processes import PROJECT_DIR, SETUP, example_configuration, run

SECRETS = dict(
    SECRET_KEY="k3-Fx-" + "q8Zr2vN5mT7wX1cB4yH6jL9pD0sG3aE" * 2,
    INTEGRATION_HUB_FIELD_ENCRYPTION_KEYS=Fernet.generate_key().decode(),
    ALLOWED_HOSTS="hub.example.com",
)
SHOW = (
    "import json, django; django.setup(); from django.conf import settings as s; print(json.dumps({"
    "'debug': s.DEBUG, 'data_dir': str(s.DATA_DIR), 'sandbox': s.SANDBOX_ENABLED, 'faults': s.SANDBOX_FAULTS,"
    "'db': s.DATABASES['default']['ENGINE'], 'db_name': str(s.DATABASES['default']['NAME']),"
    "'email': s.EMAIL_BACKEND, 'workers': s.Q_CLUSTER['workers'], 'origins': s.CSRF_TRUSTED_ORIGINS}))"
)


def settings_of(tmp_path, **env):
    result = run(["-c", SHOW], tmp_path, **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_the_example_file_as_it_ships_is_a_working_trial_configuration(tmp_path):
    example = example_configuration()
    example.pop("INTEGRATION_HUB_DATA_DIR")  # empty in the file; kept out of the project here
    shown = settings_of(tmp_path, **example)
    assert shown["debug"] is True
    assert shown["sandbox"] is True
    assert shown["faults"] == {}
    assert shown["db"] == "django.db.backends.sqlite3"
    assert shown["db_name"] == str(tmp_path / "var" / "integration_hub.sqlite3")
    assert shown["email"] == "django.core.mail.backends.console.EmailBackend"
    assert shown["workers"] == 2


def test_the_example_file_runs_manage_py_commands(tmp_path):
    example = {**example_configuration(), "INTEGRATION_HUB_DATA_DIR": str(tmp_path / "var")}
    result = run(["manage.py", "check"], tmp_path, **example)
    assert result.returncode == 0, result.stderr


def test_empty_values_mean_the_defaults_in_production_too(tmp_path):
    empty = {name: "" for name in example_configuration() if name not in SECRETS and name != "DEBUG"}
    empty.pop("INTEGRATION_HUB_DATA_DIR")
    shown = settings_of(tmp_path, **empty, **SECRETS)
    assert shown["debug"] is False
    assert shown["sandbox"] is False
    assert shown["db"] == "django.db.backends.sqlite3"
    assert shown["email"] == "django.core.mail.backends.smtp.EmailBackend"
    assert shown["origins"] == []


def test_an_empty_data_dir_is_the_project_var_folder_whatever_the_working_directory(tmp_path):
    cwd = tmp_path / "elsewhere"
    cwd.mkdir()
    result = run(["-c", SHOW], tmp_path, cwd=cwd, INTEGRATION_HUB_DATA_DIR="", **SECRETS)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["data_dir"] == str(PROJECT_DIR / "var")
    assert list(cwd.iterdir()) == []


def test_an_empty_data_dir_never_puts_keys_in_the_project_root():
    # The development keys' file belongs in the data folder, which is ignored by git.
    ignored = (PROJECT_DIR / ".gitignore").read_text().splitlines()
    assert "var/" in ignored
    assert "dev-keys.json" in ignored


@pytest.mark.parametrize(
    ("name", "value", "accepts"),
    [
        ("DEBUG", "maybe", "DEBUG (got 'maybe') accepts true or false"),
        ("INTEGRATION_HUB_SANDBOX_ENABLED", "sometimes", "INTEGRATION_HUB_SANDBOX_ENABLED (got 'sometimes')"),
        (
            "INTEGRATION_HUB_SANDBOX_FAULTS",
            '{"k3cloud": ',
            "INTEGRATION_HUB_SANDBOX_FAULTS accepts a JSON object",
        ),
        ("INTEGRATION_HUB_SANDBOX_FAULTS", "[1, 2]", "INTEGRATION_HUB_SANDBOX_FAULTS accepts a JSON object"),
        ("DATABASE_URL", "hub.example.com:5432", "DATABASE_URL accepts a database URL"),
        ("DATABASE_URL", "mongo://db/hub", "DATABASE_URL accepts a database URL"),
        ("EMAIL_URL", "pigeon://loft", "EMAIL_URL accepts a mail URL"),
        ("INTEGRATION_HUB_Q_WORKERS", "two", "INTEGRATION_HUB_Q_WORKERS (got 'two') accepts a whole number"),
        ("INTEGRATION_HUB_Q_WORKERS", "0", "accepts a whole number of at least 1"),
        ("INTEGRATION_HUB_HTTP_TIMEOUT", "2 minutes", "INTEGRATION_HUB_HTTP_TIMEOUT (got '2 minutes')"),
        ("INTEGRATION_HUB_CONNECTOR_STATE_BACKEND", "memcached", "accepts one of database, redis"),
        ("LANGUAGE_CODE", "fr", "LANGUAGE_CODE (got 'fr') accepts one of zh-hans, en"),
        ("TIME_ZONE", "Beijing", "TIME_ZONE (got 'Beijing') accepts an IANA time zone"),
        ("LOG_LEVEL", "LOUD", "LOG_LEVEL (got 'LOUD') accepts one of"),
    ],
)
def test_a_value_that_cannot_be_read_stops_the_start_with_one_line_naming_it(tmp_path, name, value, accepts):
    result = run(SETUP, tmp_path, **SECRETS, **{name: value})
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [result.stderr.strip()]
    assert result.stderr.startswith("Configuration error: ")
    assert accepts in result.stderr


def test_debug_maybe_is_refused_rather_than_taken_for_production(tmp_path):
    result = run(["-c", SHOW], tmp_path, DEBUG="maybe", **SECRETS)
    assert result.returncode == 1
    assert result.stdout == ""


def test_a_database_url_is_never_echoed_in_its_error(tmp_path):
    result = run(SETUP, tmp_path, DATABASE_URL="nosuch://hub:s3cr3t-pw@db/hub", **SECRETS)
    assert result.returncode == 1
    assert "s3cr3t-pw" not in result.stderr


def test_the_csrf_trusted_origins_come_from_the_environment(tmp_path):
    shown = settings_of(
        tmp_path, CSRF_TRUSTED_ORIGINS="https://hub.example.com, https://hub2.example.com", **SECRETS
    )
    assert shown["origins"] == ["https://hub.example.com", "https://hub2.example.com"]


# --- the reader itself -------------------------------------------------------------------
@pytest.mark.parametrize(
    ("value", "expected"), [("true", True), ("YES", True), ("on", True), ("0", False), ("Off", False)]
)
def test_booleans_accept_the_usual_words(value, expected):
    assert EnvReader({"FLAG": value}).bool("FLAG", default=not expected) is expected


def test_blanks_around_a_value_are_an_empty_value():
    assert EnvReader({"FLAG": "  "}).bool("FLAG", default=True) is True
    assert EnvReader({"N": " 7 "}).int("N", default=1) == 7


def test_lists_drop_blanks_and_empty_items():
    assert EnvReader({"HOSTS": " a.example.com, ,b.example.com,"}).list("HOSTS") == [
        "a.example.com",
        "b.example.com",
    ]
    assert EnvReader({"HOSTS": ""}).list("HOSTS", default=["localhost"]) == ["localhost"]


def test_a_relative_path_is_taken_from_the_project_not_the_working_directory(tmp_path):
    assert EnvReader({"DIR": "data"}).path("DIR", "var", tmp_path) == tmp_path / "data"
    assert EnvReader({}).path("DIR", "var", tmp_path) == tmp_path / "var"
    assert str(EnvReader({"DIR": "/srv/hub"}).path("DIR", "var", tmp_path)) == "/srv/hub"


def test_a_config_error_names_the_variable():
    with pytest.raises(ConfigError) as raised:
        EnvReader({"INTEGRATION_HUB_SQLITE_TIMEOUT": "-1"}).int(
            "INTEGRATION_HUB_SQLITE_TIMEOUT", 30, minimum=0
        )
    assert raised.value.name == "INTEGRATION_HUB_SQLITE_TIMEOUT"
    assert str(raised.value).startswith(
        "Configuration error: INTEGRATION_HUB_SQLITE_TIMEOUT (got '-1') accepts a whole number of at least 0. "
    )
    assert "配置错误：无法识别 INTEGRATION_HUB_SQLITE_TIMEOUT 的值" in str(raised.value)
