"""Start a Django process with exactly the configuration a test gives it."""

import os
import re
import subprocess
import sys
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parents[2]
ENV_EXAMPLE = PROJECT_DIR / ".env.example"
# Set by the browser tests for Playwright's event loop; production never has it.
TEST_ONLY_VARS = ("DJANGO_ALLOW_ASYNC_UNSAFE",)


def example_configuration():
    """``.env.example``'s variables and values, as ``cp .env.example .env`` would give them."""
    pairs = re.findall(r"^([A-Z][A-Z0-9_]*)=(.*)$", ENV_EXAMPLE.read_text(), flags=re.MULTILINE)
    return dict(pairs)


def run(args, tmp_path, cwd=PROJECT_DIR, **env):
    """Run ``python *args`` with none of the caller's hub configuration, plus ``env``.

    ``INTEGRATION_HUB_DATA_DIR`` and ``STATIC_ROOT`` default to folders in ``tmp_path`` and
    ``DEBUG`` to false, so nothing is written into the project.
    """
    configured = set(example_configuration()) | set(TEST_ONLY_VARS)
    base = {k: v for k, v in os.environ.items() if k not in configured}
    base.update(
        DJANGO_SETTINGS_MODULE="integration_hub.settings",
        INTEGRATION_HUB_DATA_DIR=str(tmp_path / "var"),
        STATIC_ROOT=str(tmp_path / "static"),
        DEBUG="false",
        PYTHONPATH=str(PROJECT_DIR),
    )
    base.update(env)
    return subprocess.run(
        [sys.executable, *args], cwd=cwd, env=base, capture_output=True, text=True, timeout=180
    )


SETUP = ["-c", "import django; django.setup()"]
