"""How to reach one K3Cloud account set, and the URL of each Web API service."""

from dataclasses import dataclass, field

AUTH_MODES = ("password", "app_secret", "sign", "signed_headers")
SERVICE_PREFIX = "Kingdee.BOS.WebApi.ServicesStub."


@dataclass(frozen=True)
class K3CloudConfig:
    """Connection settings of one K3Cloud connector.

    ``server_url`` is the site root that the services hang under, e.g.
    ``https://erp.example.com/k3cloud/``. ``auth_mode`` picks how the client proves who it is:
    ``password`` (ValidateUser), ``app_secret`` (LoginByAppSecret), ``sign`` (LoginBySign) or
    ``signed_headers`` (the official SDK's HMAC headers on every call, no login call).
    Secrets are left out of ``repr`` so a config can be logged or shown in a traceback.
    """

    server_url: str
    acct_id: str
    username: str
    auth_mode: str
    password: str = field(default="", repr=False)
    app_id: str = ""
    app_secret: str = field(default="", repr=False)
    lcid: int = 2052
    org_number: str = "0"
    connector_key: str = "k3cloud:default"
    timeout: float | None = None
    max_concurrency: int = 4

    def __post_init__(self):
        if self.auth_mode not in AUTH_MODES:
            raise ValueError(f"auth_mode must be one of {', '.join(AUTH_MODES)}, not {self.auth_mode!r}")
        if not self.server_url:
            raise ValueError("server_url is required")

    def service_url(self, service):
        """Full URL of ``service`` (e.g. ``"DynamicFormService.Save"``)."""
        return f"{self.server_url.rstrip('/')}/{SERVICE_PREFIX}{service}.common.kdsvc"
