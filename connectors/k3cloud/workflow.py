"""Workflow calls whose lost answers are settled by reading the ERP, not repeated blindly.

A Save repeated after a lost answer may create a second record, but the ERP's own rules
refuse to do a workflow step twice: a second Submit or Audit of a document is refused by
its status, a second Push finds no quantity left to push. So when the answer to a workflow
call is lost, the client reads back what the call was meant to change: if every document
shows the change, the call is settled as done; if not, it had no effect and is repeated (as
a transient failure, under the retry policy). When such a repeat is refused ("already
audited") the first call took effect after all, and reading back settles it again.
"""

import logging

from django.utils.translation import gettext as _

from connectors.errors import OutcomeUnknownError, PermanentError, TransientError
from connectors.k3cloud.errors import SYSTEM, DocumentNotFoundError, UnprocessedDocumentsError
from connectors.k3cloud.query import in_condition
from connectors.k3cloud.results import OperationResult, ResponseStatus, SuccessEntity, as_id, get_key

logger = logging.getLogger(__name__)


def document_status(document):
    """FDocumentStatus of a View result: Z draft, A created, B under audit, C audited, D re-audit."""
    return _property(document, "DocumentStatus")


def _property(document, name):
    if not document:
        return None
    return get_key(document, name) or get_key(document, f"F{name}")


# What each operation leaves behind, read from View (None: the document is gone). A workflow
# may audit on submit, hence C counts as submitted; UnAudit gives D (A is tolerated).
REACHED = {
    "Submit": lambda d: document_status(d) in ("B", "C"),
    "Audit": lambda d: document_status(d) == "C",
    "UnAudit": lambda d: document_status(d) in ("D", "A"),
    "Delete": lambda d: d is None,
    "forbid": lambda d: _property(d, "ForbidStatus") == "B",
    "enable": lambda d: _property(d, "ForbidStatus") == "A",
    "cancel": lambda d: _property(d, "CancelStatus") == "B",
    "billclose": lambda d: _property(d, "CloseStatus") == "B",
    "billunclose": lambda d: _property(d, "CloseStatus") == "A",
}


def insist_processed(operation, form_id, documents, result):
    """Raise ``UnprocessedDocumentsError`` for the named documents missing from SuccessEntitys.

    A real server answers ``IsSuccess: true`` when one of several numbers names no record,
    and lists only the processed ones (spec §9; single source, a public client's code note),
    so success alone does not mean every document was acted on. Documents are matched by
    number (ignoring case and spaces) or by id, whichever they were named by.
    """
    numbers = {str(e.number).strip().lower() for e in result.entities if e.number}
    ids = {as_id(e.id) for e in result.entities if e.id is not None}
    missing = [
        (index, value)
        for index, (key, value) in enumerate(documents)
        if (str(value).strip().lower() not in numbers if key == "Number" else as_id(value) not in ids)
    ]
    if missing:
        raise _unprocessed(operation, form_id, missing, len(documents))


def _unprocessed(operation, form_id, missing, asked):
    details = [
        {
            "field": None,
            "message": _("%(operation)s of %(form)s %(record)s was not done: K3Cloud found no such record.")
            % {"operation": operation, "form": form_id, "record": value},
            "dindex": index,
        }
        for index, value in missing
    ]
    return UnprocessedDocumentsError(
        _(
            "K3Cloud answered %(operation)s on %(form)s as a success but processed %(done)s of %(asked)s "
            "records; not processed: %(records)s. Check that they exist (in that organisation)."
        )
        % {
            "operation": operation,
            "form": form_id,
            "done": asked - len(missing),
            "asked": asked,
            "records": ", ".join(str(value) for _index, value in missing),
        },
        system=SYSTEM,
        code=10,
        details=details,
    )


class NotAppliedError(TransientError):
    """Reading back showed that a call whose answer was lost changed nothing: repeat it."""


def settled_call(api, operation, call, settle):
    """Run ``call()`` under the retry policy; after a lost answer let ``settle(refusal)`` decide.

    ``settle`` returns a settled ``OperationResult``, raises ``NotAppliedError`` to have the
    call repeated, or re-raises the refusal. When reading back fails too, the outcome stays
    unknown and ``OutcomeUnknownError`` is raised: nothing is repeated on a guess.
    """
    lost = None

    def attempt():
        nonlocal lost
        try:
            return call()
        except OutcomeUnknownError as error:
            lost = error
            return _settle(settle, None, lost)
        except PermanentError as refusal:
            if lost is None:
                raise
            return _settle(settle, refusal, lost)

    return api.retry_policy.run(attempt, on_retry=api.log_retry(operation))


def _settle(settle, refusal, lost):
    try:
        return settle(refusal)
    except NotAppliedError:
        raise
    except TransientError as unreadable:
        raise OutcomeUnknownError(
            _("%(lost)s Reading the records back failed too (%(error)s); look them up before repeating.")
            % {"lost": lost.message, "error": unreadable.message},
            system=SYSTEM,
        ) from unreadable


def not_applied(operation, form_id, pending):
    """The error that repeats a call whose lost answer turned out to have changed nothing."""
    return NotAppliedError(
        _(
            "K3Cloud's answer to %(operation)s on %(form)s was lost and %(records)s did not change; the call is repeated."
        )
        % {"operation": operation, "form": form_id, "records": ", ".join(str(p) for p in pending)},
        system=SYSTEM,
    )


def settled(operation, form_id, entities):
    logger.info(
        "k3cloud %s on %s: the answer was lost; reading back shows it took effect", operation, form_id
    )
    return OperationResult(
        operation, ResponseStatus(True, 0, None, success_entities=tuple(entities)), settled=True
    )


class DocumentsSettlement:
    """Reads each named document with View and checks it shows what ``reached`` expects."""

    def __init__(self, client, operation, form_id, documents, reached):
        self.client = client
        self.operation = operation
        self.form_id = form_id
        self.documents = documents  # [("Number", "SO1") | ("Id", 100)]
        self.reached = reached

    def __call__(self, refusal=None):
        entities, pending = [], []
        for index, (key, value) in enumerate(self.documents):
            document = self._read(key, value)
            if self.reached(document):
                entities.append(_entity_of(document, key, value, index))
            else:
                pending.append(value)
        if not pending:
            return settled(self.operation, self.form_id, entities)
        raise refusal or not_applied(self.operation, self.form_id, pending)

    def _read(self, key, value):
        try:
            return self.client.view(self.form_id, **{key.lower(): value})
        except DocumentNotFoundError:
            return None


class AllocateSettlement:
    """Checks that every record has its copy (same FMASTERID) in every target organisation."""

    def __init__(self, client, form_id, pk_ids, org_ids):
        self.client = client
        self.form_id = form_id
        self.pk_ids = [int(i) for i in pk_ids]
        self.org_ids = [int(i) for i in org_ids]

    def __call__(self, refusal=None):
        masters = ",".join(str(i) for i in self.pk_ids)
        orgs = ",".join(str(i) for i in self.org_ids)
        rows = self.client.query(
            self.form_id, "FMASTERID,FUseOrgId,FNumber", f"FMASTERID in ({masters}) and FUseOrgId in ({orgs})"
        )
        copies = {(as_id(r["FMASTERID"]), as_id(r["FUseOrgId"])): r["FNumber"] for r in rows}
        wanted = [(pk, org) for pk in self.pk_ids for org in self.org_ids]
        pending = [f"{pk}→{org}" for pk, org in wanted if (pk, org) not in copies]
        if not pending:
            entities = [SuccessEntity(None, copies[pair], index) for index, pair in enumerate(wanted)]
            return settled("Allocate", self.form_id, entities)
        raise refusal or not_applied("Allocate", self.form_id, pending)


# Push rules whose target documents can be found again through their link rows.
PUSH_LINKS = {
    "SaleOrder-DeliveryNotice": ("SAL_SaleOrder", "SAL_DELIVERYNOTICE", "FEntity_Link_FSBillId"),
    "DeliveryNotice-OutStock": ("SAL_DELIVERYNOTICE", "SAL_OUTSTOCK", "FEntity_Link_FSBillId"),
}


class PushSettlement:
    """Finds target documents linked to the sources that did not exist before the push."""

    def __init__(self, client, rule_id, source_ids):
        self.client = client
        self.source_form, self.target_form, self.link_key = PUSH_LINKS[rule_id]
        self.source_ids = source_ids
        self.before = self._linked()

    @classmethod
    def prepare(cls, client, form_id, rule_id, numbers, ids):
        """A settlement for this push, or None when its targets cannot be found again."""
        links = PUSH_LINKS.get(rule_id)
        if links is None or links[0] != form_id:
            return None
        if numbers:
            rows = client.query(form_id, "FID", in_condition("FBillNo", numbers))
            ids = sorted({row["FID"] for row in rows})
        return cls(client, rule_id, [int(i) for i in ids])

    def __call__(self, refusal=None):
        created = {fid: number for fid, number in self._linked().items() if fid not in self.before}
        if created:
            entities = [
                SuccessEntity(fid, number, index) for index, (fid, number) in enumerate(created.items())
            ]
            return settled("Push", self.target_form, entities)
        raise refusal or not_applied("Push", self.source_form, self.source_ids)

    def _linked(self):
        if not self.source_ids:
            return {}
        sources = ",".join(str(i) for i in self.source_ids)
        rows = self.client.query(
            self.target_form, "FID,FBillNo", f"{self.link_key} in ({sources})", "FID ASC"
        )
        return {row["FID"]: row["FBillNo"] for row in rows}


def _entity_of(document, key, value, index):
    """What a settled document is known by (a deleted one only by the name it was asked by)."""
    document = document or {}
    number = (
        get_key(document, "Number") or get_key(document, "BillNo") or (value if key == "Number" else None)
    )
    record_id = as_id(get_key(document, "Id")) or (value if key == "Id" else None)
    return SuccessEntity(id=record_id, number=number, dindex=index)
