"""The K3Cloud (金蝶云星空) Web API client: one per connector, all HTTP through ``HttpTransport``.

Every call runs inside the retry policy. A call first gets the connector's shared session
(logging in if there is none), and when the ERP answers "session lost" (MsgCode 1) it renews
the session once and repeats the call: MsgCode 1 means the ERP did nothing, so even a write
may be repeated. A write whose answer was lost raises ``OutcomeUnknownError`` and is never
repeated here, except for status changes (Submit, Audit, UnAudit, Delete), whose outcome is
settled by reading the documents back first.
"""

import json
import logging
import time
from http.cookiejar import DefaultCookiePolicy

from django.utils.translation import gettext as _

from connectors.errors import AuthenticationError, OutcomeUnknownError, TransientError
from connectors.http import HttpTransport, RetryPolicy
from connectors.k3cloud import bodies, connection
from connectors.k3cloud.auth import (
    SESSION_COOKIE,
    login_request,
    parse_login,
    session_headers,
    signed_headers,
)
from connectors.k3cloud.diagnosis import login_failure_message, signed_request_refused
from connectors.k3cloud.errors import (
    ROW_LEVEL_CODES,
    SYSTEM,
    DocumentNotFoundError,
    ErpFailureError,
    LoginFailedError,
    NotOperableError,
    error_from_status,
    http_refusal,
    transport_failure,
)
from connectors.k3cloud.query import MAX_PAGE_SIZE, field_key_list, paged, query_body, rows_as_dicts
from connectors.k3cloud.results import (
    BatchSaveResult,
    OperationResult,
    ResponseStatus,
    SuccessEntity,
    as_id,
    find_status,
    get_key,
    has_row_outcomes,
)
from connectors.k3cloud.session import SharedSession
from connectors.redaction import redact_text

logger = logging.getLogger(__name__)

# Document statuses that show a status change took effect (FDocumentStatus: Z draft, A created,
# B under audit, C audited, D re-audit). A workflow may audit on submit, hence C for Submit.
SUBMITTED = ("B", "C")
AUDITED = ("C",)
UNAUDITED = ("D", "A")


class K3CloudClient:
    """Calls one K3Cloud account set; safe to share between threads of a worker.

    ``state`` is the shared connector state (default ``connectors.state.get_state()``),
    ``retry_policy`` the backoff for transient failures, ``clock`` the time source of
    signatures (seconds since the epoch).
    """

    def __init__(self, config, *, state=None, retry_policy=None, clock=time.time):
        if state is None:
            from connectors.state import get_state

            state = get_state()
        self.config = config
        self.state = state
        self.retry_policy = retry_policy or RetryPolicy()
        self.clock = clock
        self.transport = HttpTransport(SYSTEM, timeout=config.timeout, max_concurrency=config.max_concurrency)
        # The session lives in the shared state, never in this process's cookie jar.
        self.transport.session.cookies.set_policy(DefaultCookiePolicy(allowed_domains=[]))
        self.session = SharedSession(state, config)

    # --- saving ------------------------------------------------------------------------------
    def save(self, form_id, model, **options):
        """Create (no primary key in ``model``) or update (primary key set) one record.

        Options are the ERP's Save options in snake case (``need_update_fields``,
        ``is_auto_submit_and_audit``, ...). Returns an ``OperationResult`` (``id``, ``number``).
        Raises ``OutcomeUnknownError`` when the answer is lost: look the record up by number
        before saving again.
        """
        return self._save("Save", form_id, model, options)

    def draft(self, form_id, model, **options):
        """Save ``model`` as a draft (status Z); same options and errors as ``save``."""
        return self._save("Draft", form_id, model, options)

    def batch_save(self, form_id, models, **options):
        """Save several records in one call; returns a ``BatchSaveResult`` with one outcome per row.

        BatchSave is not atomic: rows that failed validation are reported per row (by DIndex)
        while the others stay saved. Call-level refusals (permission, unknown form) raise.
        BatchCount is not offered: with it the ERP numbers DIndex per sub-batch, which would
        make the outcomes impossible to map back to the rows.
        """
        models = list(models)
        data = bodies.save_data(models, options)
        payload = self._write("BatchSave", form_id, data, bodies.record_numbers(models))
        status = self._status(payload, "BatchSave")
        if status.is_success or (
            status.msg_code in ROW_LEVEL_CODES and has_row_outcomes(status, len(models))
        ):
            return BatchSaveResult.parse(status, len(models))
        raise error_from_status(status, "BatchSave")

    def _save(self, operation, form_id, model, options):
        payload = self._write(
            operation, form_id, bodies.save_data(model, options), bodies.record_numbers(model)
        )
        return self._result(operation, payload)

    # --- reading -----------------------------------------------------------------------------
    def view(self, form_id, *, number=None, id=None):  # noqa: A002 - the ERP's own name
        """One document by number or id, as the ERP's View returns it (metadata names)."""
        body = bodies.form_body(form_id, bodies.view_data(number=number, id=id))
        payload = self._call("DynamicFormService.View", body, "View", is_write=False)
        self._result("View", payload)
        document = get_key(get_key(payload, "Result"), "Result")
        if not document:
            raise DocumentNotFoundError(
                _("%(form)s %(key)s was not found in K3Cloud.")
                % {"form": form_id, "key": number if number is not None else id},
                system=SYSTEM,
                code=10,
            )
        return document

    def query(
        self,
        form_id,
        field_keys,
        filter_string="",
        order_string="",
        *,
        page_size=MAX_PAGE_SIZE,
        max_rows=None,
    ):
        """ExecuteBillQuery, page by page: a generator of dicts keyed by the field keys.

        Pages advance by StartRow/Limit until a short page, so only one page is held at a
        time. Give an ``order_string`` that is unique per row (e.g. ``"FID ASC"``) so pages
        do not overlap while data changes. Entry fields expand a document into several rows.
        """
        return self._paged(
            "ExecuteBillQuery", form_id, field_keys, filter_string, order_string, page_size, max_rows
        )

    execute_bill_query = query

    def bill_query(
        self,
        form_id,
        field_keys,
        filter_string="",
        order_string="",
        *,
        page_size=MAX_PAGE_SIZE,
        max_rows=None,
    ):
        """BillQuery (the 2023+ service answering rows as objects); same paging as ``query``."""
        return self._paged("BillQuery", form_id, field_keys, filter_string, order_string, page_size, max_rows)

    def _paged(self, operation, form_id, field_keys, filter_string, order_string, page_size, max_rows):
        keys = field_key_list(field_keys)

        def fetch(start_row, limit):
            data = query_body(form_id, keys, filter_string, order_string, start_row, limit)
            payload = self._call(f"DynamicFormService.{operation}", {"data": data}, operation, is_write=False)
            status = find_status(payload)
            if status is not None and not status.is_success:
                raise error_from_status(status, operation)
            return list(rows_as_dicts(payload, keys)) if status is None else []

        return paged(fetch, page_size, max_rows)

    # --- workflow ----------------------------------------------------------------------------
    def submit(self, form_id, *, numbers=None, ids=None, **options):
        """Submit documents (status A/D → B). A lost answer is settled by reading their status."""
        return self._status_change(
            "Submit", form_id, numbers, ids, options, lambda d: _status_of(d) in SUBMITTED
        )

    def audit(self, form_id, *, numbers=None, ids=None, **options):
        """Audit documents (B → C). A lost answer is settled by reading their status."""
        return self._status_change(
            "Audit", form_id, numbers, ids, options, lambda d: _status_of(d) in AUDITED
        )

    def unaudit(self, form_id, *, numbers=None, ids=None, **options):
        """Take back the audit (C → D). A lost answer is settled by reading their status."""
        return self._status_change(
            "UnAudit", form_id, numbers, ids, options, lambda d: _status_of(d) in UNAUDITED
        )

    def delete(self, form_id, *, numbers=None, ids=None, **options):
        """Delete documents (only Z/A/D). A lost answer is settled by looking them up."""
        return self._status_change("Delete", form_id, numbers, ids, options, lambda d: d is None)

    def allocate(self, form_id, pk_ids, org_ids, *, auto_submit_and_audit=False):
        """Allocate base data to other organisations (one copy per target org).

        Raises ``OutcomeUnknownError`` when the answer is lost: query the form for copies
        with the same FMASTERID in the target organisations before allocating again.
        """
        data = bodies.allocate_data(pk_ids, org_ids, auto_submit_and_audit)
        return self._result("Allocate", self._write("Allocate", form_id, data, []))

    def push(self, form_id, *, numbers=None, ids=None, **options):
        """Push source documents down to a target form (e.g. ``rule_id="SaleOrder-DeliveryNotice"``).

        The new documents are in the result's ``entities``. Raises ``OutcomeUnknownError``
        when the answer is lost: look for target documents linked to the source before
        pushing again.
        """
        data = bodies.push_data(numbers, ids, **options)
        return self._result("Push", self._write("Push", form_id, data, list(numbers or [])))

    def execute_operation(self, form_id, op_number, *, numbers=None, ids=None, **extra):
        """ExcuteOperation (sic): ``Forbid``, ``Enable``, ``Cancel``, ``BillClose``, ..."""
        data = bodies.documents_data(numbers, ids, **extra)
        body = bodies.form_body(form_id, data, op_number=op_number)
        payload = self._guard_lost_write(
            lambda: self._call("DynamicFormService.ExcuteOperation", body, "ExcuteOperation", is_write=True),
            "ExcuteOperation",
            form_id,
            list(numbers or []),
        )
        return self._result("ExcuteOperation", payload)

    def _status_change(self, operation, form_id, numbers, ids, options, reached):
        body = bodies.form_body(form_id, bodies.documents_data(numbers, ids, **options))
        documents = bodies.documents_named(numbers, ids)
        service = f"DynamicFormService.{operation}"
        lost = False

        def attempt():
            nonlocal lost
            try:
                return self._result(operation, self._attempt(service, body, operation, True))
            except OutcomeUnknownError:
                lost = True
                return self._settle(operation, form_id, documents, reached)
            except (NotOperableError, DocumentNotFoundError) as refusal:
                # After a lost answer, "already audited" may mean our own earlier call did it.
                if not lost:
                    raise
                return self._settle(operation, form_id, documents, reached, refusal)

        return self.retry_policy.run(attempt, on_retry=self._log_retry(operation))

    def _settle(self, operation, form_id, documents, reached, refusal=None):
        """Read the documents back: done → a settled result; not done → repeat (or re-raise)."""
        entities, pending = [], []
        for index, (key, value) in enumerate(documents):
            document = self._view_or_none(form_id, key, value)
            if reached(document):
                entities.append(_entity_of(document, key, value, index))
            else:
                pending.append(str(value))
        if not pending:
            logger.info("k3cloud %s on %s: answer lost, documents show it took effect", operation, form_id)
            return OperationResult(
                operation, ResponseStatus(True, 0, None, success_entities=tuple(entities)), settled=True
            )
        if refusal is not None:
            raise refusal
        raise TransientError(
            _(
                "K3Cloud's answer to %(operation)s on %(form)s was lost and %(documents)s did not change; "
                "the call is repeated."
            )
            % {"operation": operation, "form": form_id, "documents": ", ".join(pending)},
            system=SYSTEM,
        )

    def _view_or_none(self, form_id, key, value):
        try:
            return self.view(form_id, **{key.lower(): value})
        except DocumentNotFoundError:
            return None

    # --- session -----------------------------------------------------------------------------
    def login(self):
        """Log in now (one attempt, no retry) and share the new session; returns True.

        Raises ``LoginFailedError`` (``code`` = LoginResultType) with a plain-language reason.
        In ``signed_headers`` mode there is no login call and this does nothing.
        """
        if self.config.auth_mode != "signed_headers":
            self.session.renew(self._login, stale=self.session.current())
        return True

    def logout(self):
        """Close the shared session at the ERP (every worker then logs in again when needed)."""
        session = self.session.current()
        if session is None:
            return False
        payload, _response = self._post("AuthService.Logout", {}, "Logout", False, session)
        self.session.forget(session)
        return payload is True

    def test_connection(self, form_id="BD_Customer"):
        """Log in and run a one-row query; a ``ConnectionCheck`` saying in plain words what is wrong."""
        return connection.check(self, form_id)

    def close(self):
        self.transport.close()

    # --- plumbing ----------------------------------------------------------------------------
    def _write(self, operation, form_id, data, numbers):
        body = bodies.form_body(form_id, data)
        return self._guard_lost_write(
            lambda: self._call(f"DynamicFormService.{operation}", body, operation, is_write=True),
            operation,
            form_id,
            numbers,
        )

    def _guard_lost_write(self, call, operation, form_id, numbers):
        """Name the form and records in the error when a write's answer is lost."""
        try:
            return call()
        except OutcomeUnknownError as lost:
            records = ", ".join(str(n) for n in numbers) or _("(no number given)")
            raise OutcomeUnknownError(
                _(
                    "K3Cloud did not answer %(operation)s of %(form)s %(records)s, so it may or may not have "
                    "been applied. Look the records up before writing them again. (%(reason)s)"
                )
                % {"operation": operation, "form": form_id, "records": records, "reason": lost.message},
                system=SYSTEM,
                code=lost.code,
                details=[{"operation": operation, "form": form_id, "numbers": list(numbers)}],
            ) from lost

    def _call(self, service, body, operation, is_write):
        return self.retry_policy.run(
            lambda: self._attempt(service, body, operation, is_write), on_retry=self._log_retry(operation)
        )

    def _attempt(self, service, body, operation, is_write):
        """One call with the shared session; renews the session once if the ERP lost it."""
        session = self._session()
        payload, _response = self._post(service, body, operation, is_write, session)
        if not _session_lost(payload):
            return payload
        logger.info("k3cloud %s: session lost during %s; renewing it", self.config.connector_key, operation)
        session = self._renew(session)
        payload, _response = self._post(service, body, operation, is_write, session)
        if _session_lost(payload):
            raise self._session_refused(payload, operation)
        return payload

    def _session(self):
        if self.config.auth_mode == "signed_headers":
            return self.session.current()
        return self.session.current() or self.session.renew(self._login)

    def _renew(self, stale):
        if self.config.auth_mode == "signed_headers":
            # Signed headers authenticate every call: drop the stale cookie, sign again.
            self.session.forget(stale)
            return None
        return self.session.renew(self._login, stale=stale)

    def _session_refused(self, payload, operation):
        if self.config.auth_mode == "signed_headers":
            return AuthenticationError(signed_request_refused(self.config), system=SYSTEM, code=1)
        return error_from_status(find_status(payload), operation)

    def _login(self):
        service, body = login_request(self.config, self.clock())
        operation = service.rsplit(".", 1)[1]
        payload, response = self._post(service, body, operation, False, None)
        status = find_status(payload)
        if status is not None and not status.is_success:
            raise error_from_status(status, operation)
        outcome = parse_login(payload, response.cookies)
        if not outcome.ok:
            message = login_failure_message(self.config, outcome.result_type, outcome.message)
            raise LoginFailedError(message, system=SYSTEM, code=outcome.result_type)
        logger.info(
            "k3cloud %s: logged in to account set %s as %s (%s)",
            self.config.connector_key,
            self.config.acct_id,
            self.config.username,
            operation,
        )
        return {"sid": outcome.session_id, "cookies": _other_cookies(response)}

    def _post(self, service, body, operation, is_write, session):
        """One HTTP request; returns ``(payload, response)``. Counts the call per operation."""
        url = self.config.service_url(service)
        headers = {"Content-Type": "application/json", "Accept-Charset": "utf-8"}
        if self.config.auth_mode == "signed_headers":
            headers.update(signed_headers(self.config, url, self.clock()))
        headers.update(session_headers(session))
        self.state.count_call(self.config.connector_key, operation)
        response = self.transport.post_json(
            url, json=body, headers=headers, is_write=is_write, operation=operation
        )
        payload = _decode(response, operation, is_write, url)
        if self.config.auth_mode == "signed_headers":
            self.session.capture(response.cookies.get(SESSION_COOKIE), _other_cookies(response), sent=session)
        return payload, response

    def _status(self, payload, operation):
        status = find_status(payload)
        if status is None:
            raise ErpFailureError(
                _("K3Cloud answered %(operation)s with a reply of unknown shape.") % {"operation": operation},
                system=SYSTEM,
            )
        return status

    def _result(self, operation, payload):
        status = self._status(payload, operation)
        if not status.is_success:
            raise error_from_status(status, operation)
        return OperationResult.parse(operation, payload, status)

    def _log_retry(self, operation):
        def log(error, attempt):
            logger.warning(
                "k3cloud %s: %s failed (%s: %s); retry %d",
                self.config.connector_key,
                operation,
                type(error).__name__,
                redact_text(str(error)),
                attempt,
            )

        return log


def _decode(response, operation, is_write, url):
    if response.status_code >= 400:
        raise http_refusal(response.status_code, operation, url)
    text = response.content.decode("utf-8-sig", errors="replace")
    if text.startswith("response_error:"):
        raise transport_failure(text[len("response_error:") :], operation, is_write)
    try:
        return json.loads(text)
    except ValueError:
        raise transport_failure(text, operation, is_write) from None


def _session_lost(payload):
    status = find_status(payload)
    return status is not None and not status.is_success and status.msg_code == 1


def _other_cookies(response):
    return {name: value for name, value in response.cookies.items() if name != SESSION_COOKIE}


def _status_of(document):
    return (get_key(document, "DocumentStatus") or get_key(document, "FDocumentStatus")) if document else None


def _entity_of(document, key, value, index):
    """What a settled document is known by (a deleted one only by the name it was asked by)."""
    document = document or {}
    number = (
        get_key(document, "Number") or get_key(document, "BillNo") or (value if key == "Number" else None)
    )
    record_id = as_id(get_key(document, "Id")) or (value if key == "Id" else None)
    return SuccessEntity(id=record_id, number=number, dindex=index)
