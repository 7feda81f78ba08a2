"""How one Fxiaoke connector is reached: credentials, the integration user and its call budget."""

import hashlib
import math
from dataclasses import dataclass, field

# The token endpoint's own limit: at most 10 calls a minute per app and company.
TOKEN_RATE_LIMIT = 10
TOKEN_RATE_PERIOD_SECONDS = 60.0


@dataclass(frozen=True)
class FxiaokeConfig:
    """Connection settings of one Fxiaoke connector.

    ``base_url`` replaces ``https://open.fxiaoke.com`` (another cloud, or the sandbox).
    ``open_user_id`` is the integration user (a CRM administrator); when it is empty the
    user is looked up once from ``mobile``. ``rate_limit`` calls per ``rate_period_seconds``
    is the CRM's per-interface limit, of which ``rate_budget_share`` is spent so the CRM
    never has to answer "too frequent".
    """

    base_url: str
    app_id: str
    app_secret: str = field(repr=False)
    permanent_code: str = field(repr=False)
    open_user_id: str = ""
    mobile: str = ""
    connector_key: str = "fxiaoke:default"
    timeout: float | None = None
    rate_limit: int = 100
    rate_period_seconds: float = 20.0
    rate_budget_share: float = 0.8
    max_concurrency: int = 4

    def __post_init__(self):
        # Credentials may be empty or wrong: the CRM judges them, and ``test_connection``
        # turns its answer into words. Only what no call could work without is checked here.
        for name in ("base_url", "connector_key"):
            if not getattr(self, name):
                raise ValueError(f"FxiaokeConfig.{name} must not be empty")
        if self.rate_limit < 1 or self.rate_period_seconds <= 0:
            raise ValueError("FxiaokeConfig.rate_limit and rate_period_seconds must be positive")
        if not 0 < self.rate_budget_share <= 1:
            raise ValueError("FxiaokeConfig.rate_budget_share must be in (0, 1]")

    def url(self, path):
        """The absolute URL of an Open API path such as ``/cgi/crm/v2/data/query``."""
        return self.base_url.rstrip("/") + path

    @property
    def rate_permits(self):
        """Calls per period and interface this connector allows itself (at least one)."""
        return max(1, math.floor(self.rate_limit * self.rate_budget_share))

    @property
    def token_rate_permits(self):
        return max(1, math.floor(TOKEN_RATE_LIMIT * self.rate_budget_share))

    @property
    def tenant_digest(self):
        """A short, one-way name for (server, app, company): keys cached tokens and users.

        Changing the server, app or company therefore never reuses another one's token.
        """
        source = "\n".join((self.base_url.rstrip("/"), self.app_id, self.permanent_code))
        return hashlib.sha256(source.encode()).hexdigest()[:16]
