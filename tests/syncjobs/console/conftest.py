import pytest

# The engine's in-memory systems and the customers flow between them.
from tests.syncjobs.engine.conftest import connectors, crm, customers, erp  # noqa: F401
from tests.syncjobs.metadata_support import keep_memory_metadata


@pytest.fixture(autouse=True)
def memory_metadata(request):
    """The in-memory systems' fields in the metadata cache, for tests that save their flows' mappings."""
    if "connectors" in request.fixturenames:
        keep_memory_metadata(request.getfixturevalue("connectors"))
