"""The corpAccessToken, shared by every process and worker of one connector.

The token lives in the shared connector state until shortly before it expires. Refreshes
are serialised by a shared lock and double-checked inside it, so however many workers find
the token missing or rejected at once, the token endpoint is called once.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext

from connectors.errors import PermanentError
from connectors.fxiaoke.errors import SYSTEM

DEFAULT_EXPIRES_IN = 7200
# Refresh this long before the CRM's expiry. The CRM hands out the same token until 6,600 s
# into its 7,200 s life, so the margin must stay under 600 s or a refresh would fetch the old
# token back; it is also capped at a tenth of a short-lived token's life.
REFRESH_MARGIN_SECONDS = 120
# The lock covers one token call, including its wait for a permit of the 10-a-minute budget.
LOCK_TTL_SECONDS = 120
LOCK_WAIT_SECONDS = 120


@dataclass(frozen=True)
class CorpToken:
    """A corpAccessToken and the corpId it belongs to."""

    value: str = field(repr=False)
    corp_id: str

    def as_state(self):
        return {"token": self.value, "corp_id": self.corp_id}

    @classmethod
    def from_state(cls, stored):
        return cls(stored["token"], stored.get("corp_id", "")) if stored else None


def keep_seconds(expires_in):
    """How long to keep a token that the CRM says expires in ``expires_in`` seconds."""
    return max(1, int(expires_in - min(REFRESH_MARGIN_SECONDS, expires_in / 10)))


class TokenKeeper:
    """Hands out the connector's token, fetching a new one through ``fetch`` when needed.

    ``fetch()`` calls the token endpoint (within its rate budget) and returns the checked
    reply: ``{corpAccessToken, corpId, expiresIn}``.
    """

    def __init__(self, config, state, fetch):
        self.state = state
        self.fetch = fetch
        self.key = f"{config.connector_key}:token:{config.tenant_digest}"

    def current(self):
        """The cached token, or a new one when none is cached."""
        return self._cached() or self._refresh(lambda cached: cached is not None)

    def renew(self, failed):
        """A token other than ``failed`` (which the CRM rejected).

        When another worker has already replaced ``failed``, its token is used and the token
        endpoint is not called again.
        """
        return self._refresh(lambda cached: cached is not None and cached.value != failed.value)

    def fetch_new(self):
        """Always ask the token endpoint (the connection check proves the credentials)."""
        return self._refresh(lambda cached: False)

    def _cached(self):
        return CorpToken.from_state(self.state.get(self.key))

    def _refresh(self, reuse):
        with self.state.lock(self.key, ttl_seconds=LOCK_TTL_SECONDS, wait_seconds=LOCK_WAIT_SECONDS):
            cached = self._cached()
            if reuse(cached):
                return cached
            reply = self.fetch()
            token = _token_from(reply)
            expires_in = _expires_in(reply)
            self.state.set(self.key, token.as_state(), ttl_seconds=keep_seconds(expires_in))
            return token


def _token_from(reply):
    value = reply.get("corpAccessToken") or (reply.get("data") or {}).get("corpAccessToken")
    if not value:
        raise PermanentError(
            gettext("Fxiaoke's token endpoint answered without a corpAccessToken; check the server URL."),
            system=SYSTEM,
        )
    corp_id = reply.get("corpId") or (reply.get("data") or {}).get("corpId") or ""
    return CorpToken(str(value), str(corp_id))


def _expires_in(reply):
    try:
        return max(1, int(reply.get("expiresIn") or DEFAULT_EXPIRES_IN))
    except (TypeError, ValueError):
        return DEFAULT_EXPIRES_IN
