"""Set-up mistakes end a command with one line that says what to do, and a non-zero exit status."""

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

PROJECT_DIR = Path(__file__).resolve().parents[2]


def manage(tmp_path, *args, **env):
    base = {
        k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "INTEGRATION_HUB_", "REDIS"))
    }
    base.update(
        {
            "DJANGO_SETTINGS_MODULE": "integration_hub.settings",
            "INTEGRATION_HUB_DATA_DIR": str(tmp_path),
            "INTEGRATION_HUB_FIELD_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
            "LANGUAGE_CODE": "en",
            **env,
        }
    )
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=PROJECT_DIR,
        env=base,
        capture_output=True,
        text=True,
        timeout=120,
    )


def one_line_refusal(result):
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    return lines[0]


@pytest.mark.parametrize(
    ("args", "database"),
    [(["sync", "customers"], "The hub's database"), (["sandbox", "seed"], "The sandboxes' database")],
)
def test_a_command_run_before_setup_says_to_run_setup(tmp_path, args, database):
    line = one_line_refusal(manage(tmp_path, *args))
    assert f"{database} is not set up yet: run `python manage.py setup` first." in line


def test_a_database_that_cannot_be_opened_is_named(tmp_path):
    missing = tmp_path / "no-such-folder" / "hub.sqlite3"
    line = one_line_refusal(manage(tmp_path, "sync", "customers", DATABASE_URL=f"sqlite:///{missing}"))
    assert f"Cannot reach the database at {missing}" in line


def test_a_postgresql_server_that_does_not_answer_is_named(tmp_path):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # closed when the block ends: nothing listens there
    url = f"postgres://hub:secret@127.0.0.1:{port}/hub"
    line = one_line_refusal(manage(tmp_path, "sync", "customers", DATABASE_URL=url))
    assert f"Cannot reach the database at 127.0.0.1:{port}" in line
    assert "secret" not in line


def test_a_command_speaks_the_installations_language(tmp_path):
    line = one_line_refusal(manage(tmp_path, "sandbox", "seed", LANGUAGE_CODE="zh-hans"))
    assert "沙箱数据库尚未建立：请先运行 `python manage.py setup`。" in line
