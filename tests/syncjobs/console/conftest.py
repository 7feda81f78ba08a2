# The engine's in-memory systems and the customers flow between them.
from tests.syncjobs.engine.conftest import connectors, crm, customers, erp  # noqa: F401
