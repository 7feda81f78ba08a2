"""The simulated ERP's state: account sets (tenants), sessions and business records.

Every record of every form lives in one table: the columns the simulator filters and sorts
on (number, statuses, dates, organisation) are real indexed columns, everything else —
including entry rows — is the record's JSON ``data``. A record's id is its primary key in
the ERP (FID, FCUSTID, ...).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Tenant(models.Model):
    """One account set (数据中心) with its API user and third-party app credentials."""

    acct_id = models.CharField(_("account set id"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    username = models.CharField(_("user name"), max_length=60)
    password = models.CharField(_("password"), max_length=100)
    app_id = models.CharField(_("app id"), max_length=100)
    app_secret = models.CharField(_("app secret"), max_length=100)
    user_id = models.BigIntegerField(_("API user's id"), default=0)
    org_id = models.BigIntegerField(_("main organisation's id"), default=0)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("simulated K3Cloud account set")
        verbose_name_plural = _("simulated K3Cloud account sets")

    def __str__(self):
        return f"{self.name} ({self.acct_id})"


class Session(models.Model):
    """A login session: valid while used within the sliding window and not force-expired."""

    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="sessions")
    key = models.CharField(_("session id"), max_length=64, unique=True)
    aspnet_key = models.CharField(_("ASP.NET session id"), max_length=64, db_index=True)
    via = models.CharField(_("signed in with"), max_length=30)
    lcid = models.IntegerField(_("language"), default=2052)
    org_id = models.BigIntegerField(_("current organisation"), default=0)
    issued_at = models.DateTimeField(_("issued at"))
    last_seen_at = models.DateTimeField(_("last used at"))

    class Meta:
        verbose_name = _("simulated K3Cloud session")
        verbose_name_plural = _("simulated K3Cloud sessions")

    def __str__(self):
        return f"{self.tenant.acct_id} {self.via} {self.issued_at:%Y-%m-%d %H:%M}"


class Record(models.Model):
    """One record of one form (a customer, a material, a sales order, ...)."""

    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="records")
    form = models.CharField(_("form"), max_length=40)
    number = models.CharField(_("number"), max_length=255, blank=True)
    name = models.CharField(_("name"), max_length=255, blank=True)
    master_id = models.BigIntegerField(_("master id"), null=True, blank=True)
    org_id = models.BigIntegerField(_("organisation"), null=True, blank=True)
    document_status = models.CharField(_("document status"), max_length=1, default="A")
    forbid_status = models.CharField(_("forbid status"), max_length=1, default="A")
    created_at = models.DateTimeField(_("created at"))
    modified_at = models.DateTimeField(_("modified at"))
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    data = models.JSONField(_("data"), default=dict, blank=True)

    class Meta:
        verbose_name = _("simulated K3Cloud record")
        verbose_name_plural = _("simulated K3Cloud records")
        indexes = [
            models.Index(fields=["tenant", "form", "number"]),
            models.Index(fields=["tenant", "form", "modified_at"]),
            models.Index(fields=["tenant", "form", "approved_at"]),
        ]

    def __str__(self):
        return f"{self.form} {self.number}"


class Counter(models.Model):
    """A per-tenant sequence: document numbers per form, entry row ids."""

    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="counters")
    name = models.CharField(max_length=60)
    value = models.BigIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["tenant", "name"], name="k3cloud_counter_unique")]

    def __str__(self):
        return f"{self.name}={self.value}"
