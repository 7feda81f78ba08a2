"""Replay one record with a payload a person edited: who changed what is kept, the original too.

The edited payload travels in the run's options (``{"payloads": {source id: payload}}``);
the engine writes it instead of mapping the source record (``planner.edited_payload``),
and everything else — cross-references, match keys, post-actions, retries, the record log —
goes as for any other run. The record that was replayed keeps its own mapped payload; the
``RecordIntervention`` holds the original, the edit and the fields that differ.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from syncjobs.engine import runs
from syncjobs.engine.context import mapping_context
from syncjobs.engine.dispatch import QueueDispatcher
from syncjobs.mapping import MappingFailed, apply_mapping
from syncjobs.models import InterventionKind, RecordIntervention, RecordStatus, SyncRecord, Trigger
from syncjobs.queries.diffs import diff

REPLAYABLE = (RecordStatus.FAILED, RecordStatus.DEAD, RecordStatus.WAITING)


def starting_payload(record):
    """The payload a person starts editing from: the one the engine mapped, else as much as maps.

    A record whose mapping failed has no payload; the current mapping is evaluated against
    its source snapshot without the rows that fail, so only the failing fields are missing.
    """
    if record.mapped_payload:
        return record.mapped_payload
    version = record.mapping_version
    if version is None:
        return {}
    return _partial_payload(list(version.rows), record.source_snapshot or {}, _time_zone(record.flow))


def _time_zone(flow):
    options = flow.options if isinstance(flow.options, dict) else {}
    return options.get("time_zone") or settings.TIME_ZONE


def _partial_payload(rows, snapshot, time_zone):
    context = mapping_context(rows, [snapshot], time_zone)
    for _round in range(len(rows) + 1):
        try:
            return apply_mapping(rows, snapshot, context)
        except MappingFailed as failed:
            broken = {error.field for error in failed.errors}
            rows = [row for row in rows if row.get("target_path") not in broken]
    return {}


@transaction.atomic
def replay_record(record, payload, user, reason="", dispatcher=None):
    """Queue a run writing ``payload`` for ``record``'s source record; return the ``RecordIntervention``.

    Only a record whose latest outcome is open (failed, dead, waiting) can be replayed; the
    run has the trigger "retry" and names ``user`` as the one who asked.
    """
    record = SyncRecord.objects.select_for_update().select_related("flow").get(pk=record.pk)
    _check(record, payload)
    original = starting_payload(record)
    run = runs.create_run(record.flow, Trigger.RETRY, ids=[record.source_id], user=user)
    run.options["payloads"] = {record.source_id: payload}
    run.save(update_fields=["options"])
    intervention = RecordIntervention.objects.create(
        record=record,
        flow=record.flow,
        source_id=record.source_id,
        kind=InterventionKind.REPLAY,
        reason=(reason or "").strip(),
        previous_status=record.status,
        original_payload=original,
        edited_payload=payload,
        changes=[[c.path, c.before, c.after] for c in diff(original, payload)],
        run=run,
        user=user if user is not None and user.is_authenticated else None,
    )
    (dispatcher or QueueDispatcher()).run(run.pk)
    return intervention


def _check(record, payload):
    if record.status not in REPLAYABLE:
        raise ValidationError(
            _(
                "Record %(record)s is %(status)s; only failed, dead or waiting records are replayed. "
                "Open its latest attempt in the timeline."
            )
            % {"record": record.source_number or record.source_id, "status": record.get_status_display()}
        )
    if not isinstance(payload, dict) or not payload:
        raise ValidationError(_("The payload to replay is empty; keep at least one field."))
