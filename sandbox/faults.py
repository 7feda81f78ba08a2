"""Fault switches and the per-call context every simulated endpoint runs in.

Switches live in the sandbox database (``SystemSwitches.faults``) so ``manage.py sandbox
faults`` can change them on a running server. Decisions are seeded: the n-th call a server
sees after the switches last changed always draws the same numbers.
"""

import itertools
import json
import math
import random
import threading
import time
from dataclasses import dataclass, field

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from sandbox.clock import switches_for
from sandbox.models import CallLogEntry
from sandbox.server import drop_connection

# Switches every system has. Rates are shares of calls in [0, 1].
COMMON_FAULTS = {
    "latency_ms": 0,  # added to every call
    "error_rate": 0.0,  # HTTP 500 without doing anything
    "timeout_rate": 0.0,  # hold the request for hold_seconds, do nothing, then answer 504
    "reset_rate": 0.0,  # reset the socket without doing anything
    "drop_after_commit_rate": 0.0,  # do the work (commit), then reset the socket
    "hold_seconds": 3.0,  # how long a "timeout" holds the request (beyond the client's timeout)
    "operations": [],  # limit the faults above to these operation names (empty: all)
}

# Extra switches declared by each system (``register_faults``), with their defaults.
SYSTEM_FAULTS = {}

_counters = {}
_counters_lock = threading.Lock()


def register_faults(system, defaults):
    """Declare a system's own switches and their defaults."""
    SYSTEM_FAULTS[system] = dict(defaults)


def defaults_for(system):
    return {**COMMON_FAULTS, **SYSTEM_FAULTS.get(system, {})}


def current_faults(system, switches=None):
    """The switch values in force for ``system`` (defaults filled in)."""
    row = switches or switches_for(system)
    return {**defaults_for(system), **(row.faults or {})}


# Switches that connect a sandbox to a hub (the demo's webhook), kept by ``keep_connections``.
CONNECTION_PREFIX = "webhook_"


def check_value(name, value, default):
    """Raise ValueError unless ``value`` fits switch ``name`` (shaped like its ``default``).

    Without this, ``error_rate=1.5`` or ``rate_limit=abc`` were stored and every later call
    failed inside the simulator with HTTP 500.
    """
    expected, fits = _expectation(name, default)
    if not fits(value):
        raise ValueError(
            _("%(name)s must be %(expected)s, not %(value)s.")
            % {"name": name, "expected": expected, "value": json.dumps(value, ensure_ascii=False)}
        )


def _expectation(name, default):
    if isinstance(default, bool):
        return _("true or false"), lambda value: isinstance(value, bool)
    if name.endswith("_rate"):
        return _("a share between 0 and 1"), lambda value: _is_number(value) and 0 <= value <= 1
    if isinstance(default, int | float):
        return _("a number, 0 or more"), lambda value: _is_number(value) and value >= 0
    if isinstance(default, list):
        return _("a list of names"), _is_names
    return _("text"), lambda value: isinstance(value, str)


def _is_names(value):
    return isinstance(value, list) and all(isinstance(item, str) for item in value)


def _is_number(value):
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def set_faults(system, seed=None, reset=False, keep_connections=False, **values):
    """Change switches (unknown names or unfitting values raise ValueError); the values in force.

    ``reset`` starts from no faults; with ``keep_connections`` it keeps the webhook switches.
    """
    known = defaults_for(system)
    unknown = set(values) - set(known)
    if unknown:
        raise ValueError(
            _("Unknown fault switches for %(system)s: %(names)s. Known: %(known)s.")
            % {"system": system, "names": ", ".join(sorted(unknown)), "known": ", ".join(sorted(known))}
        )
    for name, value in values.items():
        if value is not None:
            check_value(name, value, known[name])
    row = switches_for(system)
    faults = dict(row.faults or {})
    if reset:
        faults = {k: v for k, v in faults.items() if keep_connections and k.startswith(CONNECTION_PREFIX)}
    faults.update({k: v for k, v in values.items() if v is not None})
    row.faults = faults
    if seed is not None:
        row.seed = seed
    row.version += 1
    row.save()
    return current_faults(system, row)


def _call_number(system, version):
    with _counters_lock:
        key = (system, version)
        if key not in _counters:
            _counters[key] = itertools.count()
        return next(_counters[key])


@dataclass
class FaultPlan:
    """What the simulator will do to one call, drawn before the call is handled."""

    latency_ms: float = 0
    http_error: bool = False
    timeout: bool = False
    reset: bool = False
    drop_after_commit: bool = False
    hold_seconds: float = 3.0
    extra: dict = field(default_factory=dict)  # system switch name -> drew True
    faults: dict = field(default_factory=dict)


def draw_plan(system, operation, switches):
    """Draw the faults for one call from the switches, deterministically by call number."""
    faults = current_faults(system, switches)
    plan = FaultPlan(latency_ms=faults["latency_ms"], hold_seconds=faults["hold_seconds"], faults=faults)
    if faults["operations"] and operation not in faults["operations"]:
        return plan
    # The seed and the call's number since the switches last changed, not the version itself:
    # a test that sets its switches draws the same faults whatever ran on the server before it.
    rng = random.Random(f"{switches.seed}:{_call_number(system, switches.version)}")
    plan.http_error = rng.random() < faults["error_rate"]
    plan.timeout = rng.random() < faults["timeout_rate"]
    plan.reset = rng.random() < faults["reset_rate"]
    plan.drop_after_commit = rng.random() < faults["drop_after_commit_rate"]
    for name in SYSTEM_FAULTS.get(system, {}):
        if name.endswith("_rate"):
            plan.extra[name] = rng.random() < faults[name]
    return plan


class CallContext:
    """One call to a simulated system: draws faults, applies them, logs the outcome.

    Usage in a view::

        call = CallContext(request, "k3cloud", "Save")
        early = call.before()           # latency, 500, timeout or reset: answer this at once
        if early: return early
        ... do the work, set call.tenant ...
        return call.respond(response, outcome="ok", rows=n)
    """

    def __init__(self, request, system, operation):
        self.request = request
        self.system = system
        self.operation = operation
        self.tenant = ""
        self.started = time.monotonic()
        self.switches = switches_for(system)
        self.plan = draw_plan(system, operation, self.switches)

    def before(self):
        """Apply latency and the faults that stop a call before any work is done."""
        if self.plan.latency_ms:
            time.sleep(self.plan.latency_ms / 1000.0)
        if self.plan.http_error:
            return self.finish(
                HttpResponse("Internal Server Error", status=500, content_type="text/plain"), "http_500"
            )
        if self.plan.timeout:
            time.sleep(self.plan.hold_seconds)
            return self.finish(
                HttpResponse("Gateway Timeout", status=504, content_type="text/plain"), "timeout"
            )
        if self.plan.reset:
            return self.finish(drop_connection(self.request), "reset")
        return None

    def respond(self, response, outcome="ok", rows=0, detail=""):
        """Send the answer, or drop it after the work was committed when that fault drew."""
        if self.plan.drop_after_commit:
            return self.finish(drop_connection(self.request), f"{outcome}_dropped", rows, detail)
        return self.finish(response, outcome, rows, detail)

    def finish(self, response, outcome, rows=0, detail=""):
        CallLogEntry.objects.create(
            system=self.system,
            tenant=self.tenant or "",
            operation=self.operation[:80],
            outcome=outcome[:40],
            detail=str(detail)[:400],
            rows=rows,
            at=timezone.now(),
            elapsed_ms=(time.monotonic() - self.started) * 1000,
        )
        return response
