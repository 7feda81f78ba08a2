"""The soak's figures from plain rows (no database, no HTTP): lag, echoes, the backlog's trend.

Definitions the report relies on:

- **End-to-end lag** of a change: from the moment the source system recorded it (a CRM
  record's ``last_modified_time`` as the simulated people saved it; an ERP bill's audit
  time) until the hub logged the target written: the first record log of the change's flow
  for that source record, succeeded as a create or an update, that carried the change —
  the version it read was modified at or after the change (its ``source_modified_at``,
  within ``TOLERANCE_SECONDS`` since the ERP keeps whole seconds; a log without one counts
  when its run started after the change). A later run that finds the record unchanged
  does not move the lag, and an earlier write of an older version does not shorten it. A change
  never written so is counted as unwritten and has no lag.
- **A run started by our own writes** (an echo): a webhook-triggered run every one of whose
  record ids was, at the moment the run started, last changed by the hub's own write-back
  (a write-back sent later than any change people made to that record). Such a run has
  nothing to sync: the only change it was told about is the one the hub made itself.
- **The backlog grows** when changes are left unwritten (not failed) at the end, or when the lag rises
  over the last third of the stream: its least-squares slope against the change time is
  more than ``GROWTH_SLOPE`` (seconds of lag gained per second of stream) and the lag it
  gains over that third is more than ``GROWTH_SECONDS`` (a short run's noise is not a trend).
"""

import math

GROWTH_SLOPE = 0.05  # 3 s more lag per minute: a queue that falls behind, not noise
GROWTH_SECONDS = 10.0
TOLERANCE_SECONDS = 1.0


def percentile(values, share):
    """The ``share`` (0–1) percentile of ``values`` by the nearest rank; None when empty."""
    ordered = sorted(values)
    if not ordered:
        return None
    rank = max(1, math.ceil(share * len(ordered)))
    return ordered[rank - 1]


def lags(changes, writes):
    """Each change's lag in seconds (None when never written).

    ``changes``: ``[(flow, source_id, changed_at)]``; ``writes``: ``{(flow, source_id):
    [(version_at, written_at), ...]}`` where ``version_at`` is when the version written was
    modified — times in seconds since the epoch.
    """
    found = []
    for flow, source_id, changed_at in changes:
        later = [
            written
            for version_at, written in writes.get((flow, source_id), [])
            if version_at >= changed_at - TOLERANCE_SECONDS and written >= changed_at
        ]
        found.append(min(later) - changed_at if later else None)
    return found


def refused(changes, values, failures):
    """For each change: True when it was not written but the hub refused a version carrying it.

    ``failures``: ``{(flow, source_id): [version_at, ...]}`` of failed record logs.
    """
    return [
        value is None
        and any(version >= changed_at - TOLERANCE_SECONDS for version in failures.get((flow, source_id), []))
        for (flow, source_id, changed_at), value in zip(changes, values, strict=True)
    ]


def lag_summary(values, failed=None):
    """p50, p95 and max of the lags that were written; how many failed, how many are unwritten."""
    written = [value for value in values if value is not None]
    failed = sum(failed or [])
    return {
        "changes": len(values),
        "failed": failed,
        "unwritten": len(values) - len(written) - failed,
        "p50_seconds": _round(percentile(written, 0.50)),
        "p95_seconds": _round(percentile(written, 0.95)),
        "max_seconds": _round(max(written, default=None)),
    }


def echo_runs(runs, people_changes, hub_writes):
    """The ids of webhook runs that only our own write-backs started (see the module docstring).

    ``runs``: ``[(run_id, started_at, [record ids])]`` of webhook-triggered runs;
    ``people_changes`` and ``hub_writes``: ``{record_id: [times]}``.
    """
    echoes = []
    for run_id, started_at, ids in runs:
        if ids and all(_last_change_was_ours(i, started_at, people_changes, hub_writes) for i in ids):
            echoes.append(run_id)
    return echoes


def _last_change_was_ours(record_id, moment, people_changes, hub_writes):
    ours = max((t for t in hub_writes.get(record_id, []) if t <= moment), default=None)
    theirs = max((t for t in people_changes.get(record_id, []) if t <= moment), default=None)
    return ours is not None and (theirs is None or ours > theirs)


def slope(points):
    """Least-squares slope of ``[(x, y)]``; 0 with fewer than two distinct x."""
    if len(points) < 2:
        return 0.0
    mean_x = sum(x for x, _y in points) / len(points)
    mean_y = sum(y for _x, y in points) / len(points)
    spread = sum((x - mean_x) ** 2 for x, _y in points)
    if not spread:
        return 0.0
    return sum((x - mean_x) * (y - mean_y) for x, y in points) / spread


def backlog_trend(changes, values, failed, stream_start, stream_end):
    """Whether the backlog grows: the lag's slope over the last third, and unwritten changes."""
    third = stream_start + 2 * (stream_end - stream_start) / 3
    points = [
        (changed_at, lag)
        for (_flow, _id, changed_at), lag in zip(changes, values, strict=True)
        if changed_at >= third and lag is not None
    ]
    unwritten = sum(
        1 for value, refused_ in zip(values, failed, strict=True) if value is None and not refused_
    )
    rise = slope(points)
    return {
        "last_third_changes": len(points),
        "lag_slope": round(rise, 4),
        "unwritten": unwritten,
        "grows": unwritten > 0 or (rise > GROWTH_SLOPE and rise * (stream_end - third) > GROWTH_SECONDS),
    }


def most_queued(samples):
    """The most queued runs any one flow had in any sample, and which flow."""
    best, flow = 0, None
    for sample in samples:
        for slug, count in sample["queued"].items():
            if count > best:
                best, flow = count, slug
    return best, flow


def per_change(count, changes):
    return round(count / changes, 3) if changes else None


def _round(value):
    return None if value is None else round(value, 2)
