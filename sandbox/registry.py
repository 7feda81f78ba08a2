"""The simulated systems known to ``manage.py sandbox`` and the control API.

Each system registers a ``SandboxSystem`` from its app's ``ready()``.
"""

from collections.abc import Callable
from dataclasses import dataclass

SYSTEMS = {}


@dataclass
class SandboxSystem:
    """What the shared sandbox tooling needs to know about one simulated system.

    - ``seed(size, seed, dataset)`` creates a fresh tenant and returns its connection
      details (the dict printed under the system's key by ``sandbox seed --json``).
    - ``reset()`` deletes every tenant and record of the system.
    - ``simulate(**options)`` (optional) acts like the system's users on existing data.
    """

    name: str
    seed: Callable
    reset: Callable
    simulate: Callable | None = None


def register(system):
    SYSTEMS[system.name] = system
    return system


def get(name):
    try:
        return SYSTEMS[name]
    except KeyError:
        raise LookupError(f"unknown sandbox system {name!r}; known: {', '.join(sorted(SYSTEMS))}") from None
