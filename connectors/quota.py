"""A note in the shared state that a connector's daily call quota is used up, until it resets.

Written where the client call fails with ``QuotaExhaustedError`` (``connectors.guard``), read
by the dashboard and the alerts: every process sees the same note, and it expires by itself
when the quota resets.
"""

import time
from datetime import UTC, datetime, timedelta

from connectors.state import get_state

# Without a reset time from the system, assume the quota is back after this long.
DEFAULT_RESET = timedelta(hours=1)


def _key(connector_key):
    return f"quota-exhausted:{connector_key}"


def note_exhausted(connector_key, resets_at=None, state=None, clock=time.time):
    """Remember until ``resets_at`` (aware datetime) that the connector's quota is used up."""
    state = state if state is not None else get_state()
    now = datetime.fromtimestamp(clock(), tz=UTC)
    resets_at = resets_at or now + DEFAULT_RESET
    seconds = max(1, round((resets_at - now).total_seconds()))
    state.set(_key(connector_key), {"noted_at": now.isoformat(), "resets_at": resets_at.isoformat()}, seconds)


def exhausted_until(connector_key, state=None):
    """When the connector's used-up quota resets (aware datetime), or None if it is not used up."""
    state = state if state is not None else get_state()
    note = state.get(_key(connector_key))
    if not note:
        return None
    return datetime.fromisoformat(note["resets_at"])
