"""The K3Cloud (金蝶云星空) Web API client: one per connector, all HTTP through ``HttpTransport``.

The operations here build request bodies and type the replies; sessions, retries and the
"session lost" renewal are ``connectors.k3cloud.api``, status changes whose answer was lost
are settled in ``connectors.k3cloud.workflow``.
"""

import time

from django.utils.translation import gettext as _

from connectors.k3cloud import async_mode, bodies, connection, workflow
from connectors.k3cloud.api import ApiCore
from connectors.k3cloud.business_info import parse_business_info
from connectors.k3cloud.errors import (
    ROW_LEVEL_CODES,
    SYSTEM,
    DocumentNotFoundError,
    error_from_status,
)
from connectors.k3cloud.query import MAX_PAGE_SIZE, field_key_list, paged, query_body, rows_as_dicts
from connectors.k3cloud.results import BatchSaveResult, find_status, get_key, has_row_outcomes
from connectors.retrying import RetryPolicy
from connectors.state import get_state

FORM_SERVICE = "DynamicFormService."


class K3CloudClient:
    """Calls one K3Cloud account set; safe to share between the threads of a worker.

    ``state`` is the shared connector state (default ``connectors.state.get_state()``),
    where the login session and the call counters live; ``retry_policy`` backs off transient
    failures; ``clock`` (seconds since the epoch) dates signatures.
    """

    def __init__(self, config, *, state=None, retry_policy=None, clock=time.time):
        if state is None:
            state = get_state()
        self.config = config
        self.api = ApiCore(config, state, retry_policy or RetryPolicy(), clock)

    # --- saving ------------------------------------------------------------------------------
    def save(self, form_id, model, **options):
        """Create (no primary key in ``model``) or update (primary key set) one record.

        Options are the ERP's Save options in snake case (``need_update_fields``,
        ``need_return_fields``, ``is_delete_entry``, ``is_auto_submit_and_audit``, ...).
        Returns an ``OperationResult`` (``id``, ``number``). Raises ``OutcomeUnknownError``
        when the answer is lost: look the record up by number before saving again.
        """
        return self._save("Save", form_id, model, options)

    def draft(self, form_id, model, **options):
        """Save ``model`` as a draft (status Z); same options and errors as ``save``."""
        return self._save("Draft", form_id, model, options)

    def batch_save(self, form_id, models, **options):
        """Save several records in one call; a ``BatchSaveResult`` with one outcome per row.

        BatchSave is not atomic: rows that failed validation are reported per row (by
        DIndex) while the others stay saved. Call-level refusals (no permission, unknown
        form) raise. BatchCount is not offered: with it the ERP numbers DIndex per
        sub-batch, and the outcomes could no longer be mapped back to the rows.
        """
        models = list(models)
        payload = self._write("BatchSave", form_id, bodies.save_data(models, options), models)
        return self._batch_result(payload, models)

    def batch_save_async(self, form_id, models, *, max_polls=30, **options):
        """BatchSave in the ERP's asynchronous mode; the same ``BatchSaveResult`` as ``batch_save``.

        The ERP answers with a task id and is asked for the task's result (QueryAsyncResult)
        until it is complete, waiting between asks by the retry policy's backoff. A task still
        running after ``max_polls`` asks raises ``OutcomeUnknownError`` (with the task id in
        ``details``): the rows may yet be saved, so look them up before saving again.
        """
        models = list(models)
        body = {**bodies.form_body(form_id, bodies.save_data(models, options)), **async_mode.BEGIN}
        numbers = bodies.record_numbers(models)
        payload = self.api.write(FORM_SERVICE + "BatchSave", body, "BatchSave", form_id, numbers)
        state = async_mode.task_state(payload, "BatchSave")
        return self._batch_result(async_mode.wait(self.api, state, "BatchSave", form_id, max_polls), models)

    def async_result(self, task_id):
        """Ask once for an asynchronous task's state: a ``TaskState`` (``done``, ``result``)."""
        return async_mode.poll(self.api, task_id)

    def _batch_result(self, payload, models):
        status = self.api.status(payload, "BatchSave")
        if status.is_success or (
            status.msg_code in ROW_LEVEL_CODES and has_row_outcomes(status, len(models))
        ):
            return BatchSaveResult.parse(status, len(models))
        raise error_from_status(status, "BatchSave")

    def _save(self, operation, form_id, model, options):
        payload = self._write(operation, form_id, bodies.save_data(model, options), model)
        return self.api.result(operation, payload)

    def _write(self, operation, form_id, data, model):
        body = bodies.form_body(form_id, data)
        numbers = bodies.record_numbers(model)
        return self.api.write(FORM_SERVICE + operation, body, operation, form_id, numbers)

    # --- reading -----------------------------------------------------------------------------
    def view(self, form_id, *, number=None, id=None):  # noqa: A002 - the ERP's own name
        """One document by number or id, as View returns it (metadata names, e.g. DocumentStatus).

        Raises ``DocumentNotFoundError`` when there is none.
        """
        body = bodies.form_body(form_id, bodies.view_data(number=number, id=id))
        payload = self.api.call(FORM_SERVICE + "View", body, "View", is_write=False)
        self.api.result("View", payload)
        document = get_key(get_key(payload, "Result"), "Result")
        if not document:
            raise DocumentNotFoundError(
                _("%(form)s %(key)s was not found in K3Cloud.")
                % {"form": form_id, "key": number if number is not None else id},
                system=SYSTEM,
                code=10,
            )
        return document

    def query(self, form_id, field_keys, filter_string="", order_string="", **paging):
        """ExecuteBillQuery, page by page: a generator of dicts keyed by the field keys.

        Pages advance by StartRow/Limit (``page_size``, at most 2000) until a short page or
        ``max_rows``, so only one page is held at a time. Give an ``order_string`` unique per
        row (e.g. ``"FID ASC"``) so pages neither overlap nor skip. Entry fields
        (``FSaleOrderEntry_FEntryID``) expand a document into one row per entry.
        """
        return self._paged("ExecuteBillQuery", form_id, field_keys, filter_string, order_string, **paging)

    execute_bill_query = query

    def bill_query(self, form_id, field_keys, filter_string="", order_string="", **paging):
        """BillQuery (the 2023+ service that answers rows as objects); paged like ``query``."""
        return self._paged("BillQuery", form_id, field_keys, filter_string, order_string, **paging)

    def _paged(
        self,
        operation,
        form_id,
        field_keys,
        filter_string,
        order_string,
        page_size=MAX_PAGE_SIZE,
        max_rows=None,
    ):
        keys = field_key_list(field_keys)

        def fetch(start_row, limit):
            data = query_body(form_id, keys, filter_string, order_string, start_row, limit)
            payload = self.api.call(FORM_SERVICE + operation, {"data": data}, operation, is_write=False)
            status = find_status(payload)
            if status is not None and not status.is_success:
                raise error_from_status(status, operation)
            return list(rows_as_dicts(payload, keys)) if status is None else []

        return paged(fetch, page_size, max_rows)

    # --- workflow ----------------------------------------------------------------------------
    def submit(self, form_id, *, numbers=None, ids=None, **options):
        """Submit documents (status A/D → B). A lost answer is settled by reading their status.

        With several documents, one refusal raises; its ``details`` list every refused
        document by DIndex (the others went through). A success that leaves a document out of
        SuccessEntitys (a real server's answer for a number it does not know) raises
        ``UnprocessedDocumentsError`` the same way, naming the left-out ones. Options are sent as given
        (``NetworkCtrl``, ``IgnoreInterationFlag``, ...); the same holds for the calls below.
        """
        return self._change("Submit", form_id, numbers, ids, options)

    def audit(self, form_id, *, numbers=None, ids=None, **options):
        """Audit documents (B → C). A lost answer is settled by reading their status."""
        return self._change("Audit", form_id, numbers, ids, options)

    def unaudit(self, form_id, *, numbers=None, ids=None, **options):
        """Take back the audit (C → D). A lost answer is settled by reading their status."""
        return self._change("UnAudit", form_id, numbers, ids, options)

    def delete(self, form_id, *, numbers=None, ids=None, **options):
        """Delete documents (only in status Z/A/D). A lost answer is settled by looking them up."""
        return self._change("Delete", form_id, numbers, ids, options)

    def execute_operation(self, form_id, op_number, *, numbers=None, ids=None, **options):
        """ExcuteOperation (sic): ``Forbid``, ``Enable``, ``Cancel``, ``BillClose``, ``BillUnClose``.

        A lost answer to those is settled by reading the documents; for any other operation
        it raises ``OutcomeUnknownError``.
        """
        reached = workflow.REACHED.get(str(op_number).lower())
        if reached is None:
            body = bodies.form_body(
                form_id, bodies.documents_data(numbers, ids, **options), op_number=op_number
            )
            records = list(numbers or [bodies.id_list(ids)])
            payload = self.api.write(
                FORM_SERVICE + "ExcuteOperation", body, "ExcuteOperation", form_id, records
            )
            return self.api.result("ExcuteOperation", payload)
        return self._change("ExcuteOperation", form_id, numbers, ids, options, op_number=op_number)

    def allocate(self, form_id, pk_ids, org_ids, *, auto_submit_and_audit=False):
        """Allocate base data to other organisations (one copy per target organisation).

        A lost answer is settled by looking for the copies (same FMASTERID) in the targets.
        """
        data = bodies.allocate_data(pk_ids, org_ids, auto_submit_and_audit)
        settle = workflow.AllocateSettlement(
            self, form_id, bodies.id_list(pk_ids).split(","), bodies.id_list(org_ids).split(",")
        )
        return self._settled("Allocate", bodies.form_body(form_id, data), settle)

    def cancel_allocate(self, form_id, pk_ids, org_ids):
        """Take back an allocation: the copies of ``pk_ids`` in ``org_ids`` are removed.

        Returns an ``OperationResult`` whose entities are the removed copies. A record with no
        copy in a target (or the creating organisation itself) is refused by DIndex. A lost
        answer raises ``OutcomeUnknownError``; repeating is refused for what was already done.
        """
        body = bodies.form_body(
            form_id, {"PkIds": bodies.id_list(pk_ids), "TOrgIds": bodies.id_list(org_ids)}
        )
        records = bodies.id_list(pk_ids).split(",")
        payload = self.api.write(FORM_SERVICE + "CancelAllocate", body, "CancelAllocate", form_id, records)
        return self.api.result("CancelAllocate", payload)

    def push(self, form_id, *, numbers=None, ids=None, **options):
        """Push documents down to a target form (``rule_id``, ``target_form_id``, ``entry_ids``...).

        The new documents are the result's ``entities``. For the rules SaleOrder-DeliveryNotice
        and DeliveryNotice-OutStock the client first notes which target documents already
        link to the sources (one query), so that a lost answer is settled by finding the new
        ones. For other rules a lost answer raises ``OutcomeUnknownError``.
        """
        body = bodies.form_body(form_id, bodies.push_data(numbers, ids, **options))
        settle = workflow.PushSettlement.prepare(self, form_id, options.get("rule_id"), numbers, ids)
        if settle is None:
            records = list(numbers or [bodies.id_list(ids)])
            return self.api.result(
                "Push", self.api.write(FORM_SERVICE + "Push", body, "Push", form_id, records)
            )
        return self._settled("Push", body, settle)

    def _change(self, operation, form_id, numbers, ids, options, op_number=None):
        body = bodies.form_body(form_id, bodies.documents_data(numbers, ids, **options), op_number=op_number)
        reached = workflow.REACHED[str(op_number).lower() if op_number else operation]
        documents = bodies.documents_named(numbers, ids)
        settle = workflow.DocumentsSettlement(self, op_number or operation, form_id, documents, reached)
        result = self._settled(operation, body, settle)
        workflow.insist_processed(op_number or operation, form_id, documents, result)
        return result

    def _settled(self, operation, body, settle):
        def call():
            payload = self.api.attempt(FORM_SERVICE + operation, body, operation, is_write=True)
            return self.api.result(operation, payload)

        return self.api.guard.call(lambda: workflow.settled_call(self.api, operation, call, settle))

    # --- metadata and organisation ------------------------------------------------------------
    def business_info(self, form_id):
        """A form's fields as the ERP describes them (QueryBusinessInfo): ``[BusinessField]``.

        Each has ``key``, ``name`` (in the connector's language when the ERP gives it),
        ``type``, ``entity`` (``FBillHead`` or the entry table), ``required`` and ``readonly``;
        custom fields (``F_…``) are among them. Raises ``UnknownFormError`` for an unknown form.
        """
        body = {"data": {"FormId": form_id}}
        payload = self.api.call(FORM_SERVICE + "QueryBusinessInfo", body, "QueryBusinessInfo", is_write=False)
        self.api.result("QueryBusinessInfo", payload)
        return parse_business_info(payload, self.config.lcid)

    def switch_org(self, org_number=None, *, org_id=None):
        """Move the connector's session to another organisation (SwitchOrg); an ``OperationResult``.

        The session is shared by every worker of the connector, so the switch holds for all of
        them, and only until the session is renewed (a new login starts in the user's default
        organisation). Raises ``DocumentNotFoundError`` for an unknown organisation.
        """
        data = {"OrgNumber": str(org_number)} if org_number is not None else {"OrgId": org_id}
        payload = self.api.call(FORM_SERVICE + "SwitchOrg", {"data": data}, "SwitchOrg", is_write=False)
        return self.api.result("SwitchOrg", payload)

    # --- session -----------------------------------------------------------------------------
    def login(self):
        """Log in now (one attempt, no retry) and share the new session with every worker.

        Raises ``LoginFailedError`` (``code`` = LoginResultType) with a plain-language reason.
        In ``signed_headers`` mode there is no login call and this does nothing.
        """
        self.api.login()

    def api_user_id(self):
        """The id of the user the connector signs in as (the login's ``Context.UserId``): the
        FModifierId of what the connector saves. Logs in when no session is kept. None in
        ``signed_headers`` mode, which has no login reply to read it from.
        """
        return self.api.user_id()

    def logout(self):
        """Close the shared session at the ERP; True when the ERP confirmed.

        Every worker of the connector then logs in again on its next call.
        """
        return self.api.logout()

    def test_connection(self, form_id="BD_Customer"):
        """Log in and run a one-row query; a ``ConnectionCheck`` saying in plain words what is wrong."""
        return connection.check(self, form_id)

    def close(self):
        self.api.transport.close()
