"""Status changes (Submit, Audit, UnAudit, Delete) whose lost answers are settled by reading.

A Save repeated after a lost answer may create a second record, but the ERP's status machine
refuses a second Submit or Audit of the same document. So when the answer to a status
change is lost, the documents are read back: those that reached the target status are done;
if any did not, the call is repeated (as a transient failure). If the repeat is then refused
as "already audited" (the first call took effect after all), reading back settles it again.
"""

import logging

from django.utils.translation import gettext as _

from connectors.errors import OutcomeUnknownError, TransientError
from connectors.k3cloud import bodies
from connectors.k3cloud.errors import SYSTEM, DocumentNotFoundError, NotOperableError
from connectors.k3cloud.results import OperationResult, ResponseStatus, SuccessEntity, as_id, get_key

logger = logging.getLogger(__name__)

# FDocumentStatus: Z draft, A created, B under audit, C audited, D re-audit. A workflow may
# audit on submit, hence C also counts as submitted; UnAudit gives D (A is tolerated).
REACHED = {
    "Submit": lambda document: status_of(document) in ("B", "C"),
    "Audit": lambda document: status_of(document) == "C",
    "UnAudit": lambda document: status_of(document) in ("D", "A"),
    "Delete": lambda document: document is None,
}


def change_status(client, operation, form_id, numbers, ids, options):
    """Run ``operation`` on the named documents; returns an ``OperationResult``."""
    body = bodies.form_body(form_id, bodies.documents_data(numbers, ids, **options))
    settle = Settlement(client, operation, form_id, bodies.documents_named(numbers, ids))
    api = client.api
    lost = False

    def attempt():
        nonlocal lost
        try:
            return api.result(
                operation, api.attempt(f"DynamicFormService.{operation}", body, operation, True)
            )
        except OutcomeUnknownError:
            lost = True
            return settle()
        except (NotOperableError, DocumentNotFoundError) as refusal:
            if not lost:
                raise
            return settle(refusal)

    return api.retry_policy.run(attempt, on_retry=api.log_retry(operation))


class Settlement:
    """Reads the documents back and says whether ``operation`` took effect on all of them."""

    def __init__(self, client, operation, form_id, documents):
        self.client = client
        self.operation = operation
        self.form_id = form_id
        self.documents = documents
        self.reached = REACHED[operation]

    def __call__(self, refusal=None):
        entities, pending = [], []
        for index, (key, value) in enumerate(self.documents):
            document = self._read(key, value)
            if self.reached(document):
                entities.append(_entity_of(document, key, value, index))
            else:
                pending.append(str(value))
        if not pending:
            logger.info(
                "k3cloud %s on %s: answer lost; documents show it took effect", self.operation, self.form_id
            )
            status = ResponseStatus(True, 0, None, success_entities=tuple(entities))
            return OperationResult(self.operation, status, settled=True)
        if refusal is not None:
            raise refusal
        raise TransientError(
            _(
                "K3Cloud's answer to %(operation)s on %(form)s was lost and %(documents)s did not change; "
                "the call is repeated."
            )
            % {"operation": self.operation, "form": self.form_id, "documents": ", ".join(pending)},
            system=SYSTEM,
        )

    def _read(self, key, value):
        try:
            return self.client.view(self.form_id, **{key.lower(): value})
        except DocumentNotFoundError:
            return None


def status_of(document):
    if not document:
        return None
    return get_key(document, "DocumentStatus") or get_key(document, "FDocumentStatus")


def _entity_of(document, key, value, index):
    """What a settled document is known by (a deleted one only by the name it was asked by)."""
    document = document or {}
    number = (
        get_key(document, "Number") or get_key(document, "BillNo") or (value if key == "Number" else None)
    )
    record_id = as_id(get_key(document, "Id")) or (value if key == "Id" else None)
    return SuccessEntity(id=record_id, number=number, dindex=index)
