import json
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def load_fixture():
    """Read a JSON reply from ``fixtures/`` (the spec's literal replies, §8)."""

    def load(name):
        return json.loads((FIXTURES / name).read_text(encoding="utf-8"))

    return load
