"""Dry run: what the next run would do, field by field, without writing anything anywhere.

It reads the records the next run would read (the same watermark, overlap and "already
synced" rule), plans them with the same planner (matching and comparing included) and
reads each target to show the differences. It writes nothing to either system and
nothing to the hub's cross-references or record logs, so its counts are what the next
real run does with the same data. Parents of waiting records are reported, not synced.
"""

from collections import Counter
from dataclasses import dataclass, field

from syncjobs.engine import dependencies, reader
from syncjobs.engine.context import build_context
from syncjobs.engine.outcomes import OUTCOMES, outcome_of
from syncjobs.engine.payloads import flatten
from syncjobs.engine.planner import plan
from syncjobs.models import MappingVersion, RecordAction, RecordStatus
from syncjobs.models.flow import record_mapping_version


@dataclass
class DryRunItem:
    """One record in the report."""

    source_id: str
    source_number: str
    action: str
    status: str
    target_id: str = ""
    target_number: str = ""
    changes: list = field(default_factory=list)  # [(field, current value, new value)]
    message: str = ""
    payload: dict = field(default_factory=dict)


@dataclass
class DryRunReport:
    """What the next run of ``flow`` would do with the records read."""

    flow: object
    version_number: int | None
    items: list
    limited: bool = False  # more records were waiting than were evaluated

    @property
    def counts(self):
        """``{"create": n, "update": n, "unchanged": n, "skip": n, "failed": n, "waiting": n}``."""
        counts = Counter(dict.fromkeys(OUTCOMES, 0))
        counts.update(outcome_of(item) for item in self.items)
        return dict(counts)

    @property
    def read(self):
        return len(self.items)


def dry_run(flow, limit=None, full=False, ids=None, rows=None, **overrides):
    """Evaluate ``flow`` against up to ``limit`` source records; a ``DryRunReport``.

    ``rows``: mapping rows not saved yet (the mapping editor's preview); evaluated in place
    of the flow's saved mapping, and no version is stored for them.
    """
    version = _version(flow, rows)
    ctx = build_context(flow, version, **overrides)
    limit = limit or ctx.options.dry_run_limit
    records, limited = _records(ctx, limit, full, ids)
    items = plan(ctx, records, resolve_parents=dependencies.resolver(ctx), dry=True)
    for item in items:
        if item.open and item.action == RecordAction.CREATE:
            item.diff = [(path, None, value) for path, value in flatten(item.payload or {}).items()]
    return DryRunReport(
        flow, version.number if version else None, [_report_item(item) for item in items], limited
    )


def _version(flow, rows):
    if rows is None:
        return record_mapping_version(flow)[0]
    # Unsaved on purpose: a preview must leave no version behind.
    return MappingVersion(flow=flow, number=None, rows=list(rows))


def _records(ctx, limit, full, ids):
    since = None if ids is not None else reader.since_for(ctx.flow, ctx.options, full)
    wanted = []
    for page in reader.pull(ctx, since, ids):
        wanted.extend(page if ids is not None or full else reader.unseen(ctx.flow, page))
        if len(wanted) > limit:
            return wanted[:limit], True
    return wanted, False


def _report_item(item):
    target = item.target
    return DryRunItem(
        source_id=item.record.id,
        source_number=item.record.number,
        action=item.action or RecordAction.SKIP,
        status=item.status or RecordStatus.SUCCEEDED,
        target_id=target.id if target else "",
        target_number=(target.number or "") if target else "",
        changes=list(item.diff),
        message=item.error_message or item.waiting_for,
        payload=item.payload or {},
    )
