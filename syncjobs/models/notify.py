"""Where alerts go: channels (mail, group robots, a webhook), the rules that pick them, each send.

A channel's webhook URL holds the robot's key or token, so it is a secret like its signing
secret: both are encrypted with ``FIELD_ENCRYPTION_KEYS`` and never shown again.
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from syncjobs.fields import EncryptedTextField, RedactedJSONField, RedactedTextField
from syncjobs.models import statuses


class ChannelKind(models.TextChoices):
    MAIL = "mail", _("Mail")
    WECOM = "wecom", _("WeCom (企业微信) group robot")
    DINGTALK = "dingtalk", _("DingTalk (钉钉) custom robot")
    FEISHU = "feishu", _("Feishu (飞书) custom bot")
    WEBHOOK = "webhook", _("Generic webhook (signed JSON)")


class Severity(models.IntegerChoices):
    INFO = 10, _("Info")
    WARNING = 20, _("Warning")
    CRITICAL = 30, _("Critical")


class NotificationChannel(models.Model):
    """One place alerts are sent: a mail list, a group robot or a webhook receiver."""

    SECRET_FIELDS = ("webhook_url", "secret")

    name = models.CharField(_("name"), max_length=100, unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=ChannelKind.choices)
    enabled = models.BooleanField(_("enabled"), default=True)
    webhook_url = EncryptedTextField(
        _("webhook URL"),
        blank=True,
        help_text=_("The robot's full webhook address, with its key or access token."),
    )
    secret = EncryptedTextField(
        _("signing secret"),
        blank=True,
        help_text=_("钉钉 加签 or 飞书 签名校验 secret, or the generic webhook's shared secret."),
    )
    keywords = models.CharField(
        _("keywords"),
        max_length=200,
        blank=True,
        help_text=_("Comma-separated; a message without one of them gets the first added (钉钉, 飞书)."),
    )
    recipients = models.TextField(
        _("mail recipients"),
        blank=True,
        help_text=_("Mail only: addresses separated by commas or lines; empty: the integration admins."),
    )
    per_minute = models.PositiveSmallIntegerField(
        _("messages per minute"),
        default=20,
        help_text=_("Sends beyond this wait for the next minute (企业微信 and 钉钉 allow 20 a robot)."),
    )
    created_at = models.DateTimeField(pgettext_lazy("timestamp", "created"), auto_now_add=True)

    class Meta:
        verbose_name = _("notification channel")
        verbose_name_plural = _("notification channels")
        ordering = ("name",)
        permissions = [("test_notificationchannel", _("Can send a test message to a channel"))]

    def __str__(self):
        return self.name

    def has_value(self, name):
        """Whether field ``name`` holds a value; secrets are checked without being decrypted."""
        return bool(self.__dict__.get(name))

    def keyword_list(self):
        return tuple(word.strip() for word in self.keywords.split(",") if word.strip())

    def recipient_list(self):
        return [
            address.strip() for address in self.recipients.replace("\n", ",").split(",") if address.strip()
        ]


class AlertRule(models.Model):
    """Which causes of which flows go to which channels, from what severity, outside which hours."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    enabled = models.BooleanField(_("enabled"), default=True)
    causes = models.JSONField(_("causes"), default=list, blank=True, help_text=_("Empty: every cause."))
    flows = models.ManyToManyField(
        "syncjobs.SyncFlow",
        blank=True,
        related_name="+",
        verbose_name=_("flows"),
        help_text=_("Empty: every flow. Causes that concern no single flow (the queue) always match."),
    )
    channels = models.ManyToManyField(NotificationChannel, related_name="rules", verbose_name=_("channels"))
    min_severity = models.PositiveSmallIntegerField(
        _("from severity"), choices=Severity.choices, default=Severity.WARNING
    )
    quiet_start = models.TimeField(_("quiet from"), null=True, blank=True)
    quiet_end = models.TimeField(
        _("quiet until"),
        null=True,
        blank=True,
        help_text=_("Local time. Messages below critical wait until the quiet hours end."),
    )
    send_recovery = models.BooleanField(_("announce recovery"), default=True)
    daily_digest = models.BooleanField(
        _("daily digest"),
        default=False,
        help_text=_("Also send a morning summary of the last 24 hours to these channels."),
    )

    class Meta:
        verbose_name = _("alert rule")
        verbose_name_plural = _("alert rules")
        ordering = ("name",)

    def __str__(self):
        return self.name


class AlertState(models.Model):
    """Whether a cause is open (alerted and not yet cleared), so its recovery is announced once."""

    cause = models.CharField(_("cause"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=40)
    title = models.CharField(_("title"), max_length=255)
    severity = models.PositiveSmallIntegerField(_("severity"), choices=Severity.choices)
    flow_ids = models.JSONField(_("flows"), default=list, blank=True)
    active = models.BooleanField(_("open"), default=True)
    opened_at = models.DateTimeField(_("opened"), default=timezone.now)
    cleared_at = models.DateTimeField(_("cleared"), null=True, blank=True)

    class Meta:
        verbose_name = _("alert state")
        verbose_name_plural = _("alert states")
        ordering = ("-opened_at",)

    def __str__(self):
        return self.title


class DeliveryKind(models.TextChoices):
    ALERT = "alert", _("Alert")
    RECOVERY = "recovery", _("Recovery")
    TEST = "test", _("Test")
    DIGEST = "digest", _("Daily digest")


class DeliveryStatus(models.TextChoices):
    PENDING = statuses.PENDING
    SENT = "sent", _("Sent")
    FAILED = statuses.FAILED


class ChannelDelivery(models.Model):
    """One message for one channel: queued by the alert check, sent (and retried) outside any run."""

    channel = models.ForeignKey(
        NotificationChannel, models.CASCADE, related_name="deliveries", verbose_name=_("channel")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=DeliveryKind.choices)
    cause = models.CharField(_("cause"), max_length=200, blank=True)
    severity = models.PositiveSmallIntegerField(_("severity"), choices=Severity.choices)
    title = models.CharField(_("title"), max_length=255)
    body = models.TextField(_("message"), blank=True)
    event = RedactedJSONField(_("event"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    created_at = models.DateTimeField(_("queued"), default=timezone.now)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    failed_at = models.DateTimeField(
        pgettext_lazy("timestamp", "failed"), null=True, blank=True, db_index=True
    )
    last_error = RedactedTextField(_("last error"), blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ("-id",)
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="delivery_status_next"),
            models.Index(fields=["channel", "status", "sent_at"], name="delivery_channel_sent"),
        ]

    def __str__(self):
        return f"{self.channel}: {self.title}"
