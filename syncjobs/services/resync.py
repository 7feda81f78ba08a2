"""Resyncs: write again the records a flow already knows, after a change of what it writes.

An incremental run only reads what changed in the source, so a newly mapped field reaches
existing target records only through a resync. A resync is an ordinary queued run and
shows the usual live progress:

- all records: a full run;
- changed since a date, or matching a source filter: a full run carrying its scope in
  ``run.options["scope"]``, which the reader applies (``syncjobs.engine.reader``); such a
  run leaves the flow's watermark alone, since it read only part of the source;
- a list of ids: an ids run, as ``sync --ids`` makes.

The offer made after a mapping version is saved resyncs exactly the records the flow has
written, found by its cross-references, with a dry run's count of those that would change.
"""

import json
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from connectors.errors import ConnectorError
from syncjobs import validators
from syncjobs.crypto import CredentialDecryptionError
from syncjobs.engine import runs
from syncjobs.engine.dispatch import QueueDispatcher
from syncjobs.engine.options import FlowOptions, OptionsError
from syncjobs.mapping import MappingConfigError
from syncjobs.models import CrossReference, MappingVersion, Trigger
from syncjobs.models.connector import System
from syncjobs.queries.versions import compare_rows, previous_version
from syncjobs.services import sync

ALL, SINCE, FILTER, IDS = "all", "since", "filter", "ids"
KINDS = (ALL, SINCE, FILTER, IDS)
# Records the offer's dry run evaluates: each costs a source read and a target read.
OFFER_SAMPLE = 200
# Row fields that change nothing the flow writes.
_INERT_FIELDS = {"note"}
_ID_SEPARATORS = re.compile(r"[\s,;]+")


@dataclass(frozen=True)
class Scope:
    """Which source records a resync reads again; build it with ``scope_from``."""

    kind: str = ALL
    since: datetime | None = None
    source_filter: list | str = field(default_factory=list)
    ids: tuple = ()

    def run_options(self):
        """What the reader needs to know, stored on the run (JSON)."""
        if self.kind == SINCE:
            return {"since": self.since.isoformat()}
        return {"source_filter": self.source_filter}


def scope_from(flow, kind, since=None, source_filter="", ids=""):
    """A ``Scope`` from what a person entered; ``ValidationError`` naming the field otherwise.

    ``since``: a date (the start of that day in the flow's time zone) or a datetime.
    ``source_filter``: JSON conditions, or (K3Cloud sources) a FilterString.
    ``ids``: source ids, or source numbers of records the flow wrote, separated by spaces,
    commas or new lines.
    """
    if kind == ALL:
        return Scope(ALL)
    if kind == SINCE:
        return Scope(SINCE, since=_start_of(flow, since))
    if kind == FILTER:
        return Scope(FILTER, source_filter=_filter(flow, source_filter))
    if kind == IDS:
        return Scope(IDS, ids=_ids(flow, ids))
    raise ValidationError({"scope": _("Choose which records to resync.")})


def _start_of(flow, since):
    if since is None:
        raise ValidationError({"since": _("Enter the date records must have changed since.")})
    if isinstance(since, datetime):
        return since
    if not isinstance(since, date):
        raise ValidationError({"since": _("Enter a date such as 2026-09-01.")})
    try:
        zone = ZoneInfo(FlowOptions.of(flow).time_zone)
    except OptionsError as exc:
        raise ValidationError({"since": str(exc)}) from exc
    return datetime.combine(since, time.min, tzinfo=zone)


def _filter(flow, text):
    text = (text or "").strip()
    if not text:
        raise ValidationError({"source_filter": _("Enter the conditions the records must match.")})
    try:
        value = json.loads(text)
    except ValueError:
        value = text
    if isinstance(value, str) and flow.source_connector.system != System.K3CLOUD:
        raise ValidationError(
            {
                "source_filter": _(
                    'A CRM source takes conditions as JSON, e.g. [{"field_name": "name", '
                    '"operator": "LIKE", "field_values": ["Shanghai"]}].'
                )
            }
        )
    try:
        validators.validate_source_filter(value)
    except ValidationError as exc:
        raise ValidationError({"source_filter": exc.messages}) from exc
    return [value] if isinstance(value, dict) else value


def _ids(flow, text):
    tokens = list(dict.fromkeys(t for t in _ID_SEPARATORS.split(text or "") if t))
    if not tokens:
        raise ValidationError({"ids": _("Enter at least one source record id.")})
    # A number the flow wrote stands for its record's id: people know numbers, not ids.
    by_number = dict(written(flow).filter(source_number__in=tokens).values_list("source_number", "source_id"))
    known = set(written(flow).filter(source_id__in=tokens).values_list("source_id", flat=True))
    return tuple(dict.fromkeys(t if t in known else by_number.get(t, t) for t in tokens))


def written(flow):
    """The cross-references of the records ``flow`` has written to its current target."""
    return CrossReference.objects.filter(
        flow=flow,
        source_connector_id=flow.source_connector_id,
        source_object=flow.source_object,
        target_connector_id=flow.target_connector_id,
        target_object=flow.target_object,
    ).exclude(target_id="")


def written_ids(flow):
    """The source ids of the records ``flow`` has written, oldest link first."""
    return list(written(flow).order_by("id").values_list("source_id", flat=True))


def start_resync(flow, scope, user=None, dispatcher=None):
    """Queue a resync of ``flow``'s records in ``scope``; return its run (never run here)."""
    dispatcher = dispatcher or QueueDispatcher()
    if scope.kind == ALL:
        return sync.start_run(flow, Trigger.MANUAL, full=True, user=user, dispatcher=dispatcher)
    if scope.kind == IDS:
        return sync.start_run(flow, Trigger.MANUAL, ids=list(scope.ids), user=user, dispatcher=dispatcher)
    with transaction.atomic():
        # Its own run, never joined to another: a scoped run is not the full run others ask for.
        run = runs.create_run(flow, Trigger.MANUAL, full=True, user=user)
        run.options = {**run.options, "scope": scope.run_options()}
        run.save(update_fields=["options"])
    dispatcher.run(run.pk)
    return run


def resync_written(flow, user=None, dispatcher=None):
    """Queue a run of exactly the records ``flow`` has written; None when it wrote none."""
    ids = written_ids(flow)
    if not ids:
        return None
    return start_resync(flow, Scope(IDS, ids=tuple(ids)), user=user, dispatcher=dispatcher)


@dataclass
class ResyncOffer:
    """What resyncing the records a flow has written would do with its current mapping."""

    flow: object
    version: object
    written: int
    sample: int = OFFER_SAMPLE
    checked: int = 0  # records the dry run read (an id the source lost is not read)
    counts: dict = field(default_factory=dict)
    problem: str = ""  # why the dry run could not be made

    @property
    def would_change(self):
        return self.counts.get("create", 0) + self.counts.get("update", 0)

    @property
    def limited(self):
        """Whether the dry run evaluated only the first ``sample`` of the records written."""
        return self.written > self.sample


def changes_what_is_written(version):
    """Whether ``version`` maps differently from the version before it (notes aside)."""
    before = previous_version(version)
    changes = compare_rows(before.rows if before else [], version.rows)
    return any(
        change.kind != "changed" or any(name not in _INERT_FIELDS for name, _old, _new in change.fields)
        for change in changes
    )


def worth_offering(version):
    """Whether to offer a resync after ``version`` was saved: it changes what is written and
    the flow has written records (cheap: no system is called)."""
    return changes_what_is_written(version) and written(version.flow).exists()


def offer_for(version, sample=OFFER_SAMPLE, **context):
    """The resync to offer after ``version`` was saved, or None when none is needed.

    None when the version changes nothing written, is no longer the flow's latest, or the
    flow has written no record yet. The dry run evaluates the first ``sample`` records.
    """
    flow = version.flow
    latest = MappingVersion.objects.filter(flow=flow).order_by("-number").values_list("pk", flat=True).first()
    if latest != version.pk or not changes_what_is_written(version):
        return None
    ids = written_ids(flow)
    if not ids:
        return None
    offer = ResyncOffer(flow, version, written=len(ids), sample=sample)
    try:
        report = sync.dry_run(flow, ids=ids[:sample], limit=sample, **context)
    except (ConnectorError, CredentialDecryptionError, OptionsError, MappingConfigError) as exc:
        offer.problem = str(getattr(exc, "message", exc))
        return offer
    offer.checked, offer.counts = report.read, report.counts
    return offer
