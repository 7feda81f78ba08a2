"""The simulated robots and every message they were sent, accepted or refused."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Platform(models.TextChoices):
    WECOM = "wecom", _("WeCom (企业微信) group robot")
    DINGTALK = "dingtalk", _("DingTalk (钉钉) custom robot")
    FEISHU = "feishu", _("Feishu (飞书) custom bot")


class Robot(models.Model):
    """One group robot: the token in its webhook URL, its signing secret and its keywords.

    A sandbox holds no real secrets, so they are kept in clear and shown in its admin.
    """

    platform = models.CharField(_("platform"), max_length=10, choices=Platform.choices)
    token = models.CharField(_("key / access token"), max_length=64, unique=True)
    secret = models.CharField(_("signing secret"), max_length=80, blank=True)
    keywords = models.JSONField(_("keywords"), default=list, blank=True)
    name = models.CharField(_("group name"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("robot")
        verbose_name_plural = _("robots")
        ordering = ["platform", "id"]

    def __str__(self):
        return f"{self.get_platform_display()} {self.name or self.token[:8]}"


class ReceivedMessage(models.Model):
    """One message a robot was sent, with the platform's answer (code 0 when accepted)."""

    robot = models.ForeignKey(
        Robot, models.CASCADE, null=True, blank=True, related_name="messages", verbose_name=_("robot")
    )
    platform = models.CharField(_("platform"), max_length=10, choices=Platform.choices)
    received_at = models.DateTimeField(_("received at"), db_index=True)
    msg_type = models.CharField(_("message type"), max_length=20, blank=True)
    title = models.CharField(_("title"), max_length=200, blank=True)
    content = models.TextField(_("content"), blank=True)
    body = models.JSONField(_("request body"), default=dict, blank=True)
    code = models.IntegerField(_("answer code"), default=0)
    answer = models.CharField(_("answer message"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("robot message")
        verbose_name_plural = _("robot messages")
        ordering = ["-id"]
        indexes = [models.Index(fields=["robot", "code", "received_at"], name="im_robot_code_time")]

    def __str__(self):
        return f"{self.platform} {self.title or self.content[:40]} ({self.code})"

    @property
    def accepted(self):
        return self.code == 0
