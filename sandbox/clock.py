"""Each simulated system's clock: real time plus an offset that tests and commands can move."""

from datetime import timedelta

from django.utils import timezone

from sandbox.models import SystemSwitches


def switches_for(system):
    """The switches row of ``system``, created with defaults on first use."""
    row, _ = SystemSwitches.objects.get_or_create(system=system)
    return row


def now(system, switches=None):
    """The simulated system's current time (an aware datetime)."""
    row = switches or switches_for(system)
    return timezone.now() + timedelta(seconds=row.clock_offset_seconds)


def advance(system, seconds):
    """Move the simulated clock forward by ``seconds``; returns the new offset."""
    row = switches_for(system)
    row.clock_offset_seconds += float(seconds)
    row.save(update_fields=["clock_offset_seconds"])
    return row.clock_offset_seconds


def expire_sessions(system):
    """Invalidate every session or token the system has issued until now."""
    row = switches_for(system)
    row.sessions_valid_after = now(system, row)
    row.save(update_fields=["sessions_valid_after"])
