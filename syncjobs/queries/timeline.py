"""One record's story in one flow: every attempt in order, what changed, and why it ended so.

Each attempt is one ``SyncRecord`` (source snapshot → mapped payload → request and response
→ outcome). The timeline adds what a person needs to read it: the fields that changed since
the previous attempt, a one-line explanation of the outcome, and what people did about it.
Built in a fixed number of queries, whatever the number of attempts.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from syncjobs.engine.context import cross_references_for
from syncjobs.engine.payloads import fingerprint
from syncjobs.models import (
    CrossReference,
    InterventionKind,
    RecordAction,
    RecordIntervention,
    RecordStatus,
    SyncRecord,
    WriteBack,
    WriteBackStatus,
)
from syncjobs.queries.diffs import diff

# A record changed daily for years still shows its recent story on one page.
MAX_ATTEMPTS = 200


@dataclass
class Attempt:
    """One attempt at one record, explained."""

    record: SyncRecord
    explanation: str
    payload_changes: list = field(default_factory=list)  # FieldChange vs the previous payload
    source_changes: list = field(default_factory=list)  # FieldChange vs the previous snapshot
    interventions: list = field(default_factory=list)
    edited: bool = False  # the payload was edited by a person, not mapped

    @property
    def request(self):
        """What was sent to the target: the operation, the record it named and the payload."""
        record = self.record
        if record.action not in (RecordAction.CREATE, RecordAction.UPDATE, RecordAction.VOID):
            return None
        if record.status == RecordStatus.SUCCEEDED and record.action == RecordAction.UNCHANGED:
            return None
        return {"operation": record.get_action_display(), "target_id": record.target_id}


@dataclass
class Timeline:
    """Every attempt at ``source_id`` in ``flow``, oldest first."""

    flow: object
    source_id: str
    attempts: list
    cross_reference: object = None
    truncated: bool = False

    @property
    def latest(self):
        return self.attempts[-1].record if self.attempts else None


def record_timeline(flow, source_id):
    """The ``Timeline`` of ``source_id`` in ``flow``."""
    records = list(
        SyncRecord.objects.filter(flow=flow, source_id=source_id)
        .select_related("run", "run__requested_by", "mapping_version")
        .order_by("-id")[: MAX_ATTEMPTS + 1]
    )
    truncated = len(records) > MAX_ATTEMPTS
    records = list(reversed(records[:MAX_ATTEMPTS]))
    interventions = _interventions(flow, source_id)
    facts = _Facts(flow, source_id)
    attempts, previous = [], None
    for record in records:
        attempts.append(_attempt(record, previous, interventions.get(record.pk, []), facts))
        previous = record
    return Timeline(flow, source_id, attempts, facts.cross_reference, truncated)


def _interventions(flow, source_id):
    found = {}
    rows = RecordIntervention.objects.filter(flow=flow, source_id=source_id).select_related("user", "run")
    for intervention in rows.order_by("id"):
        found.setdefault(intervention.record_id, []).append(intervention)
    return found


def _attempt(record, previous, interventions, facts):
    payload_changes = source_changes = []
    if previous is not None:
        if record.mapped_payload and previous.mapped_payload:
            payload_changes = diff(previous.mapped_payload, record.mapped_payload)
        source_changes = diff(previous.source_snapshot, record.source_snapshot)
    edited = _edited(record, facts)
    return Attempt(
        record,
        explain(record, interventions, facts),
        payload_changes,
        source_changes,
        interventions,
        edited,
    )


def _edited(record, facts):
    payloads = (record.run.options or {}).get("payloads") or {}
    edited = payloads.get(record.source_id)
    return edited is not None and fingerprint(edited) == fingerprint(record.mapped_payload)


class _Facts:
    """What the explanations need beyond the record, read once per timeline."""

    def __init__(self, flow, source_id):
        self.flow = flow
        self.cross_reference = cross_references_for(flow).filter(source_id=source_id).first()
        self.written_by = (
            CrossReference.objects.filter(
                target_connector_id=flow.source_connector_id,
                target_object=flow.source_object,
                target_id=source_id,
            )
            .select_related("flow")
            .first()
        )
        self.write_backs = list(
            WriteBack.objects.filter(flow=flow, record_id=source_id, status=WriteBackStatus.DONE)
            .exclude(done_at=None)
            .values_list("done_at", flat=True)
        )

    def echo_of(self, record):
        """Why an unchanged record is an echo of our own write, or "" when it is not one."""
        if self.written_by is not None:
            return _("this record was written by flow “%(flow)s”") % {
                "flow": self.written_by.flow or self.written_by.target_object
            }
        if any(done <= record.created_at for done in self.write_backs):
            return _("the hub wrote the target's number back onto this record")
        return ""


def explain(record, interventions, facts):
    """One line saying how the attempt ended and why, in the reader's language."""
    person = _person_made(record, interventions)
    if person:
        return person
    if record.status == RecordStatus.SUCCEEDED:
        return _succeeded(record, facts)
    if record.status == RecordStatus.WAITING:
        return _("Waiting for parent %(parent)s; it is synced automatically once the parent lands.") % {
            "parent": record.waiting_for or _("(unknown)")
        }
    if record.status == RecordStatus.DEAD:
        return _("Gave up after %(attempts)s attempts: %(error)s") % {
            "attempts": record.attempts,
            "error": record.error_text,
        }
    if record.status == RecordStatus.SUPERSEDED:
        return _("Superseded by a later attempt; this one had not succeeded: %(error)s") % {
            "error": record.waiting_for or record.error_text or _("no message")
        }
    if record.status == RecordStatus.IGNORED:
        return _("Skipped: %(reason)s") % {"reason": record.error_text or _("nothing to do")}
    return _("Failed because: %(error)s") % {"error": record.error_text or _("no message")}


def _person_made(record, interventions):
    marks = [i for i in interventions if i.kind != InterventionKind.REPLAY]
    if record.status not in (RecordStatus.RESOLVED, RecordStatus.IGNORED) or not marks:
        return ""
    latest = marks[-1]
    template = (
        _("Resolved by %(user)s: %(reason)s")
        if latest.kind == InterventionKind.RESOLVE
        else _("Ignored by %(user)s: %(reason)s")
    )
    return template % {"user": _user_name(latest.user), "reason": latest.reason}


def _user_name(user):
    return user.get_username() if user is not None else _("a deleted user")


def _succeeded(record, facts):
    target = record.target_number or record.target_id or _("(no number)")
    if record.action == RecordAction.CREATE:
        return _("Created %(target)s in the target.") % {"target": target}
    if record.action == RecordAction.UPDATE:
        return _("Updated %(target)s in the target.") % {"target": target}
    if record.action == RecordAction.VOID:
        return _("Voided %(target)s: the source record was deleted.") % {"target": target}
    if record.action == RecordAction.UNCHANGED:
        echo = facts.echo_of(record)
        if echo:
            return _("Echo suppressed: %(why)s, and it came back with nothing new; nothing was written.") % {
                "why": echo
            }
        return _("Unchanged: %(target)s already holds this payload; nothing was written.") % {
            "target": target
        }
    return _("Skipped: %(reason)s") % {"reason": record.error_text or _("nothing to do")}
