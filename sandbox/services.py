"""What the ``sandbox`` command and the sandbox control API do, written once."""

from django.db import transaction

from sandbox import clock, faults, registry
from sandbox.dataset import build_dataset
from sandbox.models import CallLogEntry, SystemSwitches
from sandbox.routers import SANDBOX_DB


def seed(size=50, seed=42, systems=None, flaws=False, orders=None, lines=None):
    """Create a fresh tenant in each system from one coherent data set; return their details.

    ``flaws`` adds a few deliberately bad records to the business (``dataset.add_flaws``);
    ``orders`` and ``lines`` (per order) shape the orders (``dataset.build_dataset``).
    """
    dataset = build_dataset(size=size, seed=seed, flaws=flaws, orders=orders, lines=lines)
    result = {}
    for name in systems or sorted(registry.SYSTEMS):
        with transaction.atomic(using=SANDBOX_DB):
            result[name] = registry.get(name).seed(size=size, seed=seed, dataset=dataset)
    return result


def set_faults(system, values, *, seed=None, reset=False, expire_sessions=False, keep_connections=False):
    """Change a system's fault switches; optionally expire every session it issued."""
    registry.get(system)
    current = faults.set_faults(system, seed=seed, reset=reset, keep_connections=keep_connections, **values)
    if expire_sessions:
        clock.expire_sessions(system)
    return current


def advance_clock(system, seconds):
    registry.get(system)
    return clock.advance(system, seconds)


def calls(system=None, tenant=None, after_id=0, limit=100000):
    """The call log as plain dicts, oldest first."""
    rows = CallLogEntry.objects.filter(id__gt=after_id).order_by("id")
    if system:
        rows = rows.filter(system=system)
    if tenant:
        rows = rows.filter(tenant=tenant)
    return [
        {
            "id": r.id,
            "system": r.system,
            "tenant": r.tenant,
            "operation": r.operation,
            "outcome": r.outcome,
            "rows": r.rows,
            "detail": r.detail,
            "at": r.at.isoformat(),
            "elapsed_ms": round(r.elapsed_ms, 1),
        }
        for r in rows[:limit]
    ]


def simulate(system, **options):
    handler = registry.get(system).simulate
    if handler is None:
        raise LookupError(f"the {system} sandbox has no business simulation")
    return handler(**options)


def reset():
    """Delete every tenant, record, switch and call of every simulated system."""
    for system in registry.SYSTEMS.values():
        system.reset()
    CallLogEntry.objects.all().delete()
    SystemSwitches.objects.all().delete()
