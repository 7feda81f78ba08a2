"""The plumbing under every K3Cloud call: session, signing, retries, decoding, counting.

Every call runs inside the retry policy. An attempt first gets the connector's shared session
(logging in if there is none), and when the ERP answers "session lost" (MsgCode 1) it renews
the session once and repeats the call: MsgCode 1 means the ERP did nothing, so even a write
may be repeated. Session loss is recognised by MsgCode 1 in either language (English servers
word it "Session information is lost…"); see ``errors.is_session_lost``. Transient failures are retried; a write whose answer was lost raises
``OutcomeUnknownError``, which is not a ``TransientError`` and so is never retried here.
"""

import json
import logging
from http.cookiejar import DefaultCookiePolicy

from django.utils.translation import gettext as _

from connectors import refusals
from connectors.errors import AuthenticationError, OutcomeUnknownError, RateLimitedError
from connectors.guard import CallGuard
from connectors.http import HttpTransport
from connectors.k3cloud.auth import (
    SESSION_COOKIE,
    login_request,
    parse_login,
    session_headers,
    signed_headers,
)
from connectors.k3cloud.diagnosis import login_failure_message, signed_request_refused
from connectors.k3cloud.errors import (
    SYSTEM,
    TRY_AGAIN_CODES,
    ErpFailureError,
    LoginFailedError,
    error_from_status,
    http_refusal,
    is_session_lost,
    transport_failure,
)
from connectors.k3cloud.results import OperationResult, find_status
from connectors.k3cloud.session import SharedSession
from connectors.redaction import redact_text

logger = logging.getLogger(__name__)
# MsgCode 14 (``CallLimitError``): the ERP refused the call for its call limit and did nothing.
CALL_LIMIT_CODE = 14


class ApiCore:
    """Sends one service call for a ``K3CloudClient`` and returns the decoded reply."""

    def __init__(self, config, state, retry_policy, clock):
        self.config = config
        self.state = state
        self.retry_policy = retry_policy
        self.clock = clock
        self.transport = HttpTransport(SYSTEM, timeout=config.timeout, max_concurrency=config.max_concurrency)
        # The session lives in the shared state, never in this process's cookie jar.
        self.transport.session.cookies.set_policy(DefaultCookiePolicy(allowed_domains=[]))
        self.session = SharedSession(state, config, self.transport.timeout)
        self.signed = config.auth_mode == "signed_headers"
        self.guard = CallGuard(config.connector_key, state)

    def call(self, service, body, operation, is_write):
        """Call ``service`` with retries, through the connector's breaker; returns the decoded JSON reply."""
        return self.guard.call(
            lambda: self.retry_policy.run(
                lambda: self.attempt(service, body, operation, is_write), on_retry=self.log_retry(operation)
            )
        )

    def write(self, service, body, operation, form_id, numbers):
        """A write call; a lost answer raises ``OutcomeUnknownError`` naming the form and records."""
        try:
            return self.call(service, body, operation, is_write=True)
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

    def attempt(self, service, body, operation, is_write):
        """One call with the shared session; renews the session once if the ERP lost it.

        Raises the ERP's "try again" refusals (lock conflict, call limit) as transient errors
        so the retry policy repeats the call: the ERP did nothing, so a write may be repeated.
        """
        session = self._session()
        payload = self.post(service, body, operation, is_write, session)[0]
        if is_session_lost(find_status(payload)):
            logger.info(
                "k3cloud %s: session lost during %s; renewing it", self.config.connector_key, operation
            )
            session = self._renew(session)
            payload = self.post(service, body, operation, is_write, session)[0]
            if is_session_lost(find_status(payload)):
                raise self._session_refused(payload, operation)
        if _msg_code(payload) in TRY_AGAIN_CODES:
            raise error_from_status(find_status(payload), operation)
        return payload

    def login(self):
        """Log in now (one attempt) and share the new session; nothing to do in signed mode."""
        if not self.signed:
            self.session.renew(self._login, stale=self.session.current())

    def user_id(self):
        """The signed-in user's id from the login reply; None in signed mode (no login call)
        and for a session stored before the id was kept (until the next login)."""
        if self.signed:
            return None
        return self._session().get("user_id")

    def logout(self):
        session = self.session.current()
        if session is None:
            return False
        payload = self.post("AuthService.Logout", {}, "Logout", False, session)[0]
        self.session.forget(session)
        return payload is True

    def result(self, operation, payload):
        """The ``OperationResult`` of a reply, or the typed error it carries."""
        status = self.status(payload, operation)
        if not status.is_success:
            raise error_from_status(status, operation)
        return OperationResult.parse(operation, payload, status)

    def status(self, payload, operation):
        status = find_status(payload)
        if status is None:
            raise ErpFailureError(
                _("K3Cloud answered %(operation)s with a reply of unknown shape.") % {"operation": operation},
                system=SYSTEM,
            )
        return status

    def post(self, service, body, operation, is_write, session):
        """One HTTP request; returns ``(payload, response)``. Counts the call per operation."""
        url = self.config.service_url(service)
        headers = {"Content-Type": "application/json", "Accept-Charset": "utf-8"}
        if self.signed:
            headers.update(signed_headers(self.config, url, self.clock()))
        headers.update(session_headers(session))
        self.state.count_call(self.config.connector_key, operation)
        try:
            response = self.transport.post_json(
                url, json=body, headers=headers, is_write=is_write, operation=operation
            )
        except RateLimitedError:
            refusals.count(self.state, self.config.connector_key, operation)
            raise
        payload = _decode(response, operation, is_write, url)
        if _msg_code(payload) == CALL_LIMIT_CODE:
            refusals.count(self.state, self.config.connector_key, operation)
        if self.signed:
            self.session.capture(response.cookies.get(SESSION_COOKIE), _other_cookies(response), sent=session)
        return payload, response

    def log_retry(self, operation):
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

    def _session(self):
        if self.signed:
            return self.session.current()
        return self.session.current() or self.session.renew(self._login)

    def _renew(self, stale):
        if self.signed:
            # Signed headers authenticate every call: drop the stale cookie and sign again,
            # with the fresh cookie the ERP may have handed out together with "session lost".
            self.session.forget(stale)
            return self.session.current()
        return self.session.renew(self._login, stale=stale)

    def _session_refused(self, payload, operation):
        if self.signed:
            return AuthenticationError(signed_request_refused(self.config), system=SYSTEM, code=1)
        return error_from_status(find_status(payload), operation)

    def _login(self):
        service, body = login_request(self.config, self.clock())
        operation = service.rsplit(".", 1)[1]
        payload, response = self.post(service, body, operation, False, None)
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
        return {"sid": outcome.session_id, "cookies": _other_cookies(response), "user_id": outcome.user_id}


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


def _msg_code(payload):
    """The MsgCode of a refusal (None for a success or a reply without status)."""
    status = find_status(payload)
    return status.msg_code if status is not None and not status.is_success else None


def _other_cookies(response):
    return {name: value for name, value in response.cookies.items() if name != SESSION_COOKIE}
