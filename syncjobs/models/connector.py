"""A connection to one external system, with its credentials encrypted at rest."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from connectors.fxiaoke import FxiaokeConfig
from connectors.k3cloud import K3CloudConfig
from syncjobs.fields import EncryptedTextField


class System(models.TextChoices):
    FXIAOKE = "fxiaoke", _("Fxiaoke CRM")
    K3CLOUD = "k3cloud", _("Kingdee K3Cloud ERP")


class AuthMode(models.TextChoices):
    PASSWORD = "password", _("User name and password")
    APP_SECRET = "app_secret", _("Third-party app secret")
    SIGN = "sign", _("Signed login (app secret, SHA-256 signature)")
    SIGNED_HEADERS = "signed_headers", _("Signed request headers (official SDK)")


class ConnectorManager(models.Manager):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class Connector(models.Model):
    """One Fxiaoke tenant or K3Cloud account set, and how to sign in to it.

    Secret fields are encrypted with ``FIELD_ENCRYPTION_KEYS`` and never shown, exported or
    kept in history. K3Cloud's signed-header app id embeds the encoded client secret, so the
    app id is treated as a secret too.
    """

    SECRET_FIELDS = ("app_id", "app_secret", "password", "permanent_code")

    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(
        _("slug"),
        max_length=50,
        unique=True,
        help_text=_("Stable identifier used in exports and flow files."),
    )
    system = models.CharField(_("system"), max_length=20, choices=System.choices)
    base_url = models.URLField(
        _("server URL"),
        help_text=_(
            "Fxiaoke: https://open.fxiaoke.com. K3Cloud: the site's address, e.g. https://erp.example.com/k3cloud/."
        ),
    )
    # K3Cloud
    acct_id = models.CharField(_("account set ID"), max_length=64, blank=True)
    username = models.CharField(_("user name"), max_length=100, blank=True)
    auth_mode = models.CharField(_("sign-in method"), max_length=20, choices=AuthMode.choices, blank=True)
    lcid = models.PositiveIntegerField(
        _("language ID (LCID)"),
        default=2052,
        help_text=_("2052 Simplified Chinese, 1033 English, 3076 Traditional."),
    )
    org_number = models.CharField(_("organisation number"), max_length=64, default="0", blank=True)
    # Fxiaoke
    open_user_id = models.CharField(
        _("acting user (openUserId)"),
        max_length=64,
        blank=True,
        help_text=_("The CRM user the hub acts as; leave empty to resolve it from the mobile number."),
    )
    mobile = models.CharField(_("acting user's mobile number"), max_length=32, blank=True)
    # Secrets
    app_id = EncryptedTextField(_("app ID"), blank=True)
    app_secret = EncryptedTextField(_("app secret"), blank=True)
    password = EncryptedTextField(_("password"), blank=True)
    permanent_code = EncryptedTextField(_("permanent code"), blank=True)
    # Limits
    timeout = models.FloatField(
        _("HTTP timeout (seconds)"), null=True, blank=True, help_text=_("Empty: the hub's default.")
    )
    max_concurrency = models.PositiveSmallIntegerField(_("parallel requests"), default=4)
    rate_limit = models.PositiveIntegerField(_("calls allowed per period"), default=100)
    rate_period_seconds = models.FloatField(_("rate period (seconds)"), default=20.0)
    rate_budget_share = models.FloatField(
        _("share of the rate limit used"),
        default=0.8,
        help_text=_("Leave headroom for other programs using the same tenant."),
    )
    daily_call_quota = models.PositiveIntegerField(
        _("API calls allowed per day"),
        null=True,
        blank=True,
        help_text=_("The daily call quota bought for this tenant (Fxiaoke Open API packs); empty if none."),
    )
    created_at = models.DateTimeField(pgettext_lazy("timestamp", "created"), auto_now_add=True)
    updated_at = models.DateTimeField(pgettext_lazy("timestamp", "updated"), auto_now=True)

    history = HistoricalRecords(excluded_fields=list(SECRET_FIELDS))
    objects = ConnectorManager()

    class Meta:
        verbose_name = _("connector")
        verbose_name_plural = _("connectors")
        ordering = ("name",)
        permissions = [("test_connector", _("Can test a connector's connection"))]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.slug,)

    @property
    def connector_key(self):
        """The key the clients use for this connector's shared tokens, sessions and rate buckets."""
        return f"{self.system}:{self.slug}"

    def has_value(self, name):
        """Whether field ``name`` holds a value; secrets are checked without being decrypted."""
        return bool(self.__dict__.get(name))

    def clean(self):
        missing = {
            name: _("Required for this system and sign-in method.")
            for name in self.required_fields()
            if not self.has_value(name)
        }
        if self.system == System.FXIAOKE and not (self.has_value("open_user_id") or self.has_value("mobile")):
            missing["open_user_id"] = _("Enter the acting user's openUserId or mobile number.")
        if missing:
            raise ValidationError(missing)

    def required_fields(self):
        """The fields this connector's system and sign-in method need."""
        if self.system == System.FXIAOKE:
            return ["app_id", "app_secret", "permanent_code"]
        if self.system == System.K3CLOUD:
            secrets = ["password"] if self.auth_mode == AuthMode.PASSWORD else ["app_id", "app_secret"]
            return ["acct_id", "username", "auth_mode", *secrets]
        return []

    def client_config(self):
        """The client configuration for this connector (``K3CloudConfig`` or ``FxiaokeConfig``)."""
        if self.system == System.K3CLOUD:
            return self._k3cloud_config()
        return self._fxiaoke_config()

    def _k3cloud_config(self):
        return K3CloudConfig(
            server_url=self.base_url,
            acct_id=self.acct_id,
            username=self.username,
            auth_mode=self.auth_mode,
            password=self.password,
            app_id=self.app_id,
            app_secret=self.app_secret,
            lcid=self.lcid,
            org_number=self.org_number or "0",
            connector_key=self.connector_key,
            timeout=self.timeout,
            max_concurrency=self.max_concurrency,
        )

    def _fxiaoke_config(self):
        return FxiaokeConfig(
            base_url=self.base_url,
            app_id=self.app_id,
            app_secret=self.app_secret,
            permanent_code=self.permanent_code,
            open_user_id=self.open_user_id,
            mobile=self.mobile,
            connector_key=self.connector_key,
            timeout=self.timeout,
            rate_limit=self.rate_limit,
            rate_period_seconds=self.rate_period_seconds,
            rate_budget_share=self.rate_budget_share,
            max_concurrency=self.max_concurrency,
        )
