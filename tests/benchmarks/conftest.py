# The benchmark drives the hub: its tests run under the same known credential key and language.
from tests.syncjobs.conftest import encryption_keys, english  # noqa: F401
