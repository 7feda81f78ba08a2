"""State of the simulated Fxiaoke CRM: tenants, their people, tokens, records and messages.

Every CRM record of every object lives in one generic ``Record`` table: the record itself is
the JSON ``data`` (exactly what the API returns, minus the computed ``__r`` companions), and
the few values that paging and incremental pulls filter and sort on are copied into indexed
columns so those conditions run in SQL.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from sandbox.fxiaoke import schema


class Tenant(models.Model):
    """One enterprise that authorised one self-built app: its credentials and identity."""

    name = models.CharField(_("enterprise name"), max_length=100)
    corp_id = models.CharField(_("corpId"), max_length=64, unique=True)
    tenant_id = models.CharField(_("tenant id"), max_length=16, unique=True)
    app_id = models.CharField(_("appId"), max_length=32, unique=True)
    app_secret = models.CharField(_("appSecret"), max_length=64)
    permanent_code = models.CharField(_("permanentCode"), max_length=64)
    # Per-object auto-number counters ({"SalesOrderProductObj": 12}), taken under the write lock.
    counters = models.JSONField(_("auto-number counters"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("CRM tenant")
        verbose_name_plural = _("CRM tenants")
        ordering = ["-id"]

    def __str__(self):
        return f"{self.name} ({self.corp_id})"


class Department(models.Model):
    """A department of a tenant; ``dept_id`` 999999 is the whole company."""

    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="departments")
    dept_id = models.IntegerField(_("department id"))
    name = models.CharField(_("name"), max_length=100)
    parent_id = models.IntegerField(_("parent department id"), null=True, blank=True)
    order = models.IntegerField(_("order"), default=0)
    is_stop = models.BooleanField(_("stopped"), default=False)

    class Meta:
        verbose_name = _("CRM department")
        verbose_name_plural = _("CRM departments")
        unique_together = [("tenant", "dept_id")]
        ordering = ["tenant", "dept_id"]

    def __str__(self):
        return f"{self.dept_id} {self.name}"


class Employee(models.Model):
    """A person of a tenant: CRM user id ("1000") and Open API openUserId (``FSUID_…``)."""

    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="employees")
    user_id = models.CharField(_("CRM user id"), max_length=16)
    open_user_id = models.CharField(_("openUserId"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=100)
    mobile = models.CharField(_("mobile"), max_length=32, blank=True)
    email = models.CharField(_("email"), max_length=100, blank=True)
    position = models.CharField(_("position"), max_length=100, blank=True)
    main_department_id = models.IntegerField(_("main department id"), default=999999)
    is_crm_admin = models.BooleanField(
        _("CRM administrator"), default=False, help_text=_("Sees and changes every record.")
    )
    is_stop = models.BooleanField(_("left the company"), default=False)

    class Meta:
        verbose_name = _("CRM employee")
        verbose_name_plural = _("CRM employees")
        unique_together = [("tenant", "user_id")]
        ordering = ["tenant", "user_id"]

    def __str__(self):
        return f"{self.user_id} {self.name}"


class AccessToken(models.Model):
    """A corpAccessToken, with its issue time on the sandbox clock."""

    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="tokens")
    token = models.CharField(max_length=64, unique=True)
    issued_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["tenant", "issued_at"])]

    def __str__(self):
        return f"{self.tenant_id} {self.issued_at:%Y-%m-%d %H:%M:%S}"


class ApiHit(models.Model):
    """One call the platform accepted, at sandbox-clock milliseconds: feeds the rate limit and quota."""

    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="+")
    interface = models.CharField(max_length=80)
    at_ms = models.BigIntegerField()

    class Meta:
        indexes = [
            models.Index(fields=["tenant", "interface", "at_ms"]),
            models.Index(fields=["tenant", "at_ms"]),
        ]

    def __str__(self):
        return f"{self.interface} @ {self.at_ms}"


class Record(models.Model):
    """One CRM record of any object, as JSON, with its paging and watermark keys indexed."""

    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="records")
    api_name = models.CharField(_("object"), max_length=64)
    object_id = models.CharField(_("_id"), max_length=32)
    name = models.CharField(_("name"), max_length=255, blank=True)
    life_status = models.CharField(_("life status"), max_length=20, default="normal")
    create_time = models.BigIntegerField(_("create_time (ms)"))
    last_modified_time = models.BigIntegerField(_("last_modified_time (ms)"))
    # A detail line's master record (an order line's order_id): lines are looked up by it.
    master_id = models.CharField(_("master record"), max_length=32, blank=True, default="")
    data = models.JSONField(_("record"), default=dict)

    class Meta:
        verbose_name = _("CRM record")
        verbose_name_plural = _("CRM records")
        ordering = ["tenant", "api_name", "object_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "api_name", "object_id"], name="fxiaoke_record_unique_id"
            )
        ]
        # life_status ends the paging indexes so that counting the rest of an ``_id`` cursor
        # or a watermark pull (voided records left out) never reads the table itself.
        indexes = [
            models.Index(
                fields=["tenant", "api_name", "object_id", "life_status"], name="fxiaoke_record_cursor"
            ),
            models.Index(
                fields=["tenant", "api_name", "last_modified_time", "object_id", "life_status"],
                name="fxiaoke_record_watermark",
            ),
            models.Index(fields=["tenant", "api_name", "create_time"], name="fxiaoke_record_created"),
            models.Index(fields=["tenant", "api_name", "master_id"], name="fxiaoke_record_master"),
        ]

    def __str__(self):
        return f"{self.api_name} {self.name or self.object_id}"

    def save(self, *args, **kwargs):
        self.sync_columns()
        super().save(*args, **kwargs)

    def sync_columns(self):
        """Copy the indexed values from ``data``, which is the single source of truth."""
        for column, value in record_columns(self.api_name, self.data).items():
            setattr(self, column, value)
        return self


def record_columns(api_name, data):
    """The column values of a record of ``api_name``, derived from its ``data``."""
    master_field = schema.DESCRIBES[api_name].master_field if api_name in schema.DESCRIBES else ""
    return {
        "object_id": data["_id"],
        "name": str(data.get("name", ""))[:255],
        "life_status": data.get("life_status", "normal"),
        "create_time": data["create_time"],
        "last_modified_time": data["last_modified_time"],
        "master_id": str(data.get(master_field) or "")[:32] if master_field else "",
    }


class Message(models.Model):
    """A message sent through ``/cgi/message/send``, as the platform received it."""

    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="messages")
    to_users = models.JSONField(_("to (openUserIds)"), default=list)
    msg_type = models.CharField(_("message type"), max_length=20)
    content = models.TextField(_("content"), blank=True)
    body = models.JSONField(_("message body"), default=dict)
    sent_at = models.DateTimeField(_("sent at"))

    class Meta:
        verbose_name = _("CRM message")
        verbose_name_plural = _("CRM messages")
        ordering = ["-id"]

    def __str__(self):
        return f"{self.msg_type} → {len(self.to_users)}"
