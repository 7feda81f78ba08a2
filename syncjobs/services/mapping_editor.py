"""The mapping editor's actions: save the rows as a new version, preview them unsaved, roll back.

Rows arrive checked by the editor's forms (``syncjobs.console.rows``) as snapshot dicts.
Saving changes the flow's rows in place (matched by target field, so their history reads
well) and records a mapping version; previewing evaluates the rows against one live source
record with the engine's dry run, writing nothing anywhere.
"""

from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from connectors.errors import ConnectorError
from syncjobs.crypto import CredentialDecryptionError
from syncjobs.engine.options import OptionsError
from syncjobs.models import RecordAction, RecordStatus, SyncFlow
from syncjobs.models.flow import record_mapping_version
from syncjobs.services import mapping_checks, sync
from syncjobs.services.flow_config import normalise_rows, replace_mappings


class MappingRefused(Exception):
    """The rows do not fit the systems' metadata; ``check`` (a ``RowCheck``) says row by row."""

    def __init__(self, check):
        super().__init__("; ".join(check.messages()))
        self.check = check


class PreviewFailed(Exception):
    """The preview could not be made; the message says why and what to do."""


@dataclass
class Preview:
    """What the rows make of one source record, and what the next run would do with it."""

    source_id: str
    item: object  # syncjobs.engine.dryrun.DryRunItem

    @property
    def payload(self):
        return self.item.payload

    @property
    def action_label(self):
        return RecordAction(self.item.action).label

    @property
    def status_label(self):
        return RecordStatus(self.item.status).label


@transaction.atomic
def save_mapping(flow, rows, user=None, unlisted_fields=()):
    """Make ``flow``'s mapping equal ``rows``; return ``(version, created)`` as ``record_mapping_version``."""
    replace_mappings(flow, normalise_rows(list(rows)))
    return record_mapping_version(flow, user=user, unlisted_fields=unlisted_fields)


def save_checked_mapping(flow, rows, user=None, confirmed=()):
    """Check ``rows`` against the systems' metadata, then save them like ``save_mapping``.

    ``confirmed``: target paths of rows confirmed as "not in the metadata"; the new version
    records their fields. Raises ``MappingRefused`` (nothing saved) when a row does not fit.
    """
    rows = list(rows)
    check = mapping_checks.check_rows(flow, rows, confirmed)
    if not check.ok:
        raise MappingRefused(check)
    return save_mapping(flow, rows, user=user, unlisted_fields=check.unlisted)


def dry_run(flow, rows, limit=None):
    """What a full resync with unsaved ``rows`` would do to the first ``limit`` source records.

    A ``DryRunReport`` (per record: create, update, unchanged or failed, with the fields that
    would change); reads both systems, writes nothing. Raises ``PreviewFailed`` like ``preview``.
    """
    try:
        return sync.dry_run(flow, rows=list(rows), full=True, limit=limit)
    except (ConnectorError, CredentialDecryptionError, OptionsError) as exc:
        raise PreviewFailed(
            _("The dry run could not read the source: %(error)s") % {"error": getattr(exc, "message", exc)}
        ) from exc


def preview(flow, rows, source_id):
    """Evaluate unsaved ``rows`` against source record ``source_id``; a ``Preview``.

    Raises ``PreviewFailed`` when the record cannot be read (naming it) or the flow's
    settings stop the evaluation.
    """
    source_id = str(source_id).strip()
    if not source_id:
        raise PreviewFailed(_("Pick a source record to preview the mapping with."))
    try:
        report = sync.dry_run(flow, ids=[source_id], rows=list(rows), limit=1)
    except (ConnectorError, CredentialDecryptionError, OptionsError) as exc:
        raise PreviewFailed(
            _("The preview could not read the source: %(error)s") % {"error": getattr(exc, "message", exc)}
        ) from exc
    if not report.items:
        raise PreviewFailed(
            _(
                "%(object)s has no record with ID “%(id)s” that this flow reads; check the ID and the flow's filter."
            )
            % {"object": flow.source_object, "id": source_id}
        )
    return Preview(source_id, report.items[0])


@transaction.atomic
def roll_back_to(version, user=None):
    """Make ``version``'s flow map as ``version`` did, stored as a new version; ``(version, created)``.

    The flow's rows are changed in place (matched by target field, so their history stays
    readable), then recorded like any save: a new version numbered after the latest, equal
    to ``version``. Nothing changes (``created`` is False) when the latest already equals it.
    """
    flow = SyncFlow.objects.select_for_update().get(pk=version.flow_id)
    replace_mappings(flow, normalise_rows(list(version.rows)))
    return record_mapping_version(flow, user=user)
