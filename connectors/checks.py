"""The result of a connector's "Test connection" check, in words an administrator can act on."""

from dataclasses import dataclass, field


@dataclass
class ConnectionCheck:
    ok: bool
    message: str
    details: dict = field(default_factory=dict)
