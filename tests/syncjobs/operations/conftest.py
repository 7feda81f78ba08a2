import pytest

from tests.syncjobs.engine.conftest import connectors, crm, customers, erp  # noqa: F401  (fixtures)


@pytest.fixture
def anonymous_client(db):
    from django.test import Client

    return Client(enforce_csrf_checks=True)


@pytest.fixture
def robots(sandbox):
    """Fresh simulated robots (one per platform), their faults cleared before and after."""
    sandbox.clear_faults("im")
    yield sandbox.seed(systems=["im"])["im"]
    sandbox.clear_faults("im")
