"""Our own writes coming back: a source record changed only by what the hub wrote onto it.

A write-back (the ERP number onto the CRM account) changes the flow's source record, so
the CRM pushes it and the next incremental read brings it again; neither is a change to
sync. Nor is a record one flow wrote (a CRM status update, an ERP save) coming back to a
flow that reads it. Each of the record's cross-references keeps a short hash of every field as it was
last synced (``source_digest``) and the fields and values the hub wrote onto it since
(``echo_values``). A record whose only differences are those fields, holding those
values, is an echo and is not read into a batch; any other difference (a person's edit,
even right after the write-back) is synced. Where the system reports who saved the record
last (``SourceRecord.saved_by_hub``), a save by anyone but the hub's API user is never an
echo, even with values that look like the hub's (a person typing the same ERP number); where
it does not say, the values decide alone.

A push names record ids only, so it cannot be judged by value: each write-back expects
one push back (``echo_pushes``) and the first push naming the record after it takes
that. A person's edit right after is another push, and syncs. Should the edit and the
echo arrive in one event, the incremental read still finds the edit by its values.
Recognised by values, never by time: fields that every save changes are left out.
"""

import hashlib
import json

from django.db.models import F

from syncjobs.adapters.base import chunks
from syncjobs.adapters.fxiaoke_read import COMPANION_SUFFIXES
from syncjobs.mapping.transforms import key_text
from syncjobs.models import CrossReference, RecordAction, RecordStatus, SyncFlow, WebhookEvent, bulk

# Stamps every save changes, whoever saves: Fxiaoke's and K3Cloud's modification time,
# version and modifier. The modifier is judged on its own, by the adapter (``saved_by_hub``).
VOLATILE = frozenset({"last_modified_time", "last_modified_by", "version", "FModifyDate", "FModifierId"})
_CHUNK = 500


def digest(data):
    """``{field: short hash of its value}`` for the record's fields that are not stamps."""
    return {
        name: hashlib.sha256(json.dumps(value, sort_keys=True, default=str).encode()).hexdigest()[:16]
        for name, value in (data or {}).items()
        if not is_stamp(name)
    }


def is_stamp(name):
    """Whether ``name`` is a stamp every save changes, or Fxiaoke's read-only companion of one
    (``last_modified_by__r``: the modifier's name and details)."""
    if name.endswith(COMPANION_SUFFIXES):
        name = name[:-3]
    return name in VOLATILE


def remember(items):
    """Keep how each synced record looked, and forget the writes it has taken in since."""
    rows = []
    for item in items:
        if item.status == RecordStatus.SUCCEEDED and item.xref is not None and item.xref.pk:
            item.xref.source_digest, item.xref.echo_values = digest(item.record.data), {}
            item.xref.echo_pushes = 0  # read as it is now: a push still to come is not needed
            rows.append(item.xref)
    bulk.update_many(CrossReference, rows, ["source_digest", "echo_values", "echo_pushes"])


def _references(connector_id, object_name, record_ids):
    return CrossReference.objects.filter(
        source_connector_id=connector_id, source_object=object_name, source_id__in=list(record_ids)
    )


def written(connector_id, object_name, record_id, values):
    """The hub wrote ``values`` onto this record: the flows reading it expect them back.

    A push back is expected only from an object whose changes the hub has been pushed;
    otherwise a push that never comes would leave an expectation that swallows the push
    of a later, genuine change.
    """
    written_many(connector_id, object_name, {record_id: values})


def written_many(connector_id, object_name, values_by_id):
    """``written`` for several records of one object (a batch's writes)."""
    pushes = 1 if WebhookEvent.objects.filter(object_name=object_name).exists() else 0
    ids = list(values_by_id)
    for chunk in chunks(ids, _CHUNK):
        for xref in _references(connector_id, object_name, chunk).only("pk", "source_id", "echo_values"):
            values = values_by_id[xref.source_id]
            CrossReference.objects.filter(pk=xref.pk).update(
                echo_values={**(xref.echo_values or {}), **values}, echo_pushes=F("echo_pushes") + pushes
            )


def target_written(flow, items):
    """The batch's creates and updates, as writes the flows reading the target expect back."""
    written_ = {
        str(item.target.id): item.payload
        for item in items
        if item.status == RecordStatus.SUCCEEDED
        and item.action in (RecordAction.CREATE, RecordAction.UPDATE)
        and item.target is not None
        and item.target.id
        and isinstance(item.payload, dict)
    }
    readers = SyncFlow.objects.filter(
        source_connector_id=flow.target_connector_id, source_object=flow.target_object
    )
    if written_ and readers.exists():
        written_many(flow.target_connector_id, flow.target_object, written_)


def _flow_references(flow, record_ids):
    return _references(flow.source_connector_id, flow.source_object, record_ids).filter(
        target_connector_id=flow.target_connector_id, target_object=flow.target_object
    )


def pushed_echoes(flow, record_ids):
    """Which of the pushed ``record_ids`` are the push of the hub's own write (each taken once)."""
    echoes = set()
    for chunk in chunks(record_ids, _CHUNK):
        for pk, source_id, pushes in (
            _flow_references(flow, chunk)
            .filter(echo_pushes__gt=0)
            .values_list("pk", "source_id", "echo_pushes")
        ):
            # Compare-and-set: two deliveries of pushes at once take one expected push each.
            if CrossReference.objects.filter(pk=pk, echo_pushes=pushes).update(echo_pushes=pushes - 1):
                echoes.add(source_id)
    return echoes


def split(flow, records):
    """``(changed, echoes)``: the records minus those changed only by the hub's own writes.

    An echo read again (a later pull's overlap window brings it back) is dropped without
    being counted twice; a read that finds an echo also takes its push, if one is to come.
    """
    known = {}
    for chunk in chunks((record.id for record in records), _CHUNK):
        for xref in _flow_references(flow, chunk):
            if xref.echo_values and xref.source_digest:
                known[xref.source_id] = xref
    changed, echoes, seen = [], [], []
    for record in records:
        xref = known.get(record.id)
        if xref is None or record.saved_by_hub is False or not is_echo(xref, record.data):
            changed.append(record)
            continue
        if record.modified_at is None or xref.echo_seen_at != record.modified_at:
            echoes.append(record)
        xref.echo_seen_at, xref.echo_pushes = record.modified_at, 0
        seen.append(xref)
    bulk.update_many(CrossReference, seen, ["echo_seen_at", "echo_pushes"])
    return changed, echoes


def is_echo(xref, data):
    """Whether ``data`` differs from the record as last synced only by what the hub wrote."""
    now, before = digest(data), xref.source_digest
    for name in now.keys() | before.keys():
        if now.get(name) == before.get(name):
            continue
        if name not in xref.echo_values or not _same((data or {}).get(name), xref.echo_values[name]):
            return False
    return True


def _same(read, wrote):
    """Whether the value read back is the one written: equal, or the same key text (1 and "1")."""
    if read == wrote:
        return True
    scalar = (str, int, float, bool)
    return isinstance(read, scalar) and isinstance(wrote, scalar) and key_text(read) == key_text(wrote)
