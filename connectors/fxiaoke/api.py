"""One connector's calls to the Open API: rate permits, the shared corpAccessToken, retries,
call counters and typed errors. ``FxiaokeClient`` builds the bodies; this sends them."""

import logging

from django.conf import settings
from django.utils.translation import gettext

from connectors import refusals
from connectors.errors import OutcomeUnknownError, PermanentError, RateLimitedError, TransientError
from connectors.fxiaoke import paths
from connectors.fxiaoke.config import TOKEN_RATE_PERIOD_SECONDS
from connectors.fxiaoke.errors import (
    QUOTA_CODES,
    RATE_LIMIT_CODES,
    SYSTEM,
    TOKEN_EXPIRED_CODES,
    error_code,
    error_from_reply,
)
from connectors.fxiaoke.ratelimit import RateGate
from connectors.fxiaoke.token import TokenKeeper
from connectors.guard import CallGuard
from connectors.http import HttpTransport

logger = logging.getLogger(__name__)


class FxiaokeApi:
    """Sends calls for one connector; every process shares its token, budget and counters."""

    def __init__(self, config, state, retry_policy):
        self.config = config
        self.state = state
        self.retry_policy = retry_policy
        self.transport = HttpTransport(SYSTEM, timeout=config.timeout, max_concurrency=config.max_concurrency)
        self.gate = RateGate(state, sleep=retry_policy.sleep)
        self.tokens = TokenKeeper(config, state, self.fetch_token)
        self.guard = CallGuard(config.connector_key, state)

    def call(self, path, body, *, context, is_write=False):
        """Send ``body`` with the token added and return the checked reply.

        Transient failures (and refusals for going too fast) are retried with backoff; a
        rejected token is renewed once and the call repeated. A write whose answer was lost
        raises ``OutcomeUnknownError`` and is never repeated here. The connector's breaker
        refuses the call at once while it is open (``CircuitOpenError``), spending no retry.
        """
        return self.guard.call(
            lambda: self.retry_policy.run(
                lambda: self._authorised(path, body, context, is_write), on_retry=self._log_retry
            )
        )

    def fetch_token(self):
        """Ask the token endpoint for a corpAccessToken; return the checked reply."""
        credentials = {
            "appId": self.config.app_id,
            "appSecret": self.config.app_secret,
            "permanentCode": self.config.permanent_code,
        }
        reply = self.post(paths.TOKEN, credentials)
        return self._checked(reply, gettext("the corpAccessToken request"), is_write=False)

    def post(self, path, body, *, is_write=False):
        """One HTTP call within the interface's rate budget, counted; the parsed reply."""
        bucket = f"{self.config.connector_key}:{path}"
        with self.gate.call(bucket, *self._budget(path), hold_seconds=self._longest_call_seconds()):
            # Counted before sending: the CRM may charge a call whose answer never arrives.
            self.state.count_call(self.config.connector_key, path)
            try:
                response = self.transport.post_json(
                    self.config.url(path), json=body, is_write=is_write, operation=path
                )
            except RateLimitedError:
                refusals.count(self.state, self.config.connector_key, path)
                raise
        reply = self._parse(response, path, is_write)
        if error_code(reply) in RATE_LIMIT_CODES | QUOTA_CODES:
            refusals.count(self.state, self.config.connector_key, path)
        return reply

    def _longest_call_seconds(self):
        """How long one call can last: connecting and reading, each up to the timeout."""
        timeout = getattr(self.transport, "timeout", None) or settings.INTEGRATION_HUB_HTTP_TIMEOUT
        parts = timeout if isinstance(timeout, tuple) else (timeout, timeout)
        return float(sum(parts)) + 1.0

    def _authorised(self, path, body, context, is_write):
        token = self.tokens.current()
        reply = self.post(path, {**_auth(token), **body}, is_write=is_write)
        if error_code(reply) in TOKEN_EXPIRED_CODES:
            token = self.tokens.renew(token)
            reply = self.post(path, {**_auth(token), **body}, is_write=is_write)
        return self._checked(reply, context, is_write)

    def _budget(self, path):
        if path == paths.TOKEN:
            return self.config.token_rate_permits, TOKEN_RATE_PERIOD_SECONDS
        return self.config.rate_permits, self.config.rate_period_seconds

    def _checked(self, reply, context, is_write):
        error = error_from_reply(
            reply, context=context, is_write=is_write, retry_after=self.config.rate_period_seconds
        )
        if error is not None:
            raise error
        return reply

    def _parse(self, response, path, is_write):
        try:
            reply = response.json()
        except ValueError:
            reply = None
        if isinstance(reply, dict):
            return reply
        message = gettext(
            "Fxiaoke answered %(path)s with HTTP %(status)s and no JSON envelope; check the server URL."
        ) % {"path": path, "status": response.status_code}
        if response.status_code >= 400:
            raise PermanentError(message, system=SYSTEM, code=response.status_code)
        if is_write:
            raise OutcomeUnknownError(message, system=SYSTEM, code=response.status_code)
        raise TransientError(message, system=SYSTEM, code=response.status_code)

    def _log_retry(self, error, attempt):
        logger.warning(
            "fxiaoke call retried after attempt %s: %s code=%s traceId=%s",
            attempt,
            type(error).__name__,
            error.code,
            error.trace_id,
        )

    def close(self):
        self.transport.close()


def _auth(token):
    return {"corpAccessToken": token.value, "corpId": token.corp_id}
