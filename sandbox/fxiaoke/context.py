"""What every handler of the simulated API gets: who calls, when (sandbox clock), with which switches."""

from dataclasses import dataclass
from functools import cached_property

from sandbox.fxiaoke.directory import Directory
from sandbox.fxiaoke.errors import missing


@dataclass
class ApiCall:
    """One call to the simulated platform, after authentication."""

    operation: str
    body: dict
    now: object  # aware datetime on the sandbox clock
    faults: dict
    valid_after: object = None  # tokens issued at or before this are expired (forced expiry)
    tenant: object = None
    user: object = None  # the Employee named by currentOpenUserId, where the endpoint takes one
    rows: int = 0  # for the call log: records read or written
    detail: str = ""  # for the call log

    @property
    def now_ms(self):
        return int(self.now.timestamp() * 1000)

    @cached_property
    def directory(self):
        return Directory(self.tenant)

    @property
    def data(self):
        """The ``data`` object of the body, required by every CRM endpoint."""
        value = self.body.get("data")
        if not isinstance(value, dict):
            raise missing("data")
        return value

    def flag(self, name, default=False):
        """A request flag, sent at the body's top level or under ``data`` (clients do both)."""
        data = self.body.get("data") if isinstance(self.body.get("data"), dict) else {}
        value = self.body.get(name, data.get(name, default))
        return value if isinstance(value, bool) else str(value).lower() == "true"
