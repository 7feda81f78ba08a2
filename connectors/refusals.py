"""Calls a remote system refused without doing them: too many calls (HTTP 429 or 503, Fxiaoke
errorCode 14001 or 30004, K3Cloud MsgCode 14) or the daily quota used up (Fxiaoke 30002).

The clients count each refusal per connector and interface per day in the shared state, beside
their call counters, so every process adds to the same figure (the operations metrics read
it). The counters live under their own scope, so the call totals the dashboard and the quota
checks add up never include them twice.
"""


def _scope(connector_key):
    return f"{connector_key}~refused"


def count(state, connector_key, operation):
    """Count one refused call of ``operation`` today."""
    state.count_call(_scope(connector_key), operation)


def counts(state, connector_key, day=None):
    """``{operation: refusals}`` of ``connector_key`` on ``day`` (default: today)."""
    return state.call_counts(_scope(connector_key), day)
