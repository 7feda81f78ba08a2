"""Work that waits for its own queue: write-backs to the source, records waiting for a parent."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from syncjobs.fields import RemoteJSONField
from syncjobs.models import statuses


class WriteBackStatus(models.TextChoices):
    PENDING = statuses.PENDING
    RUNNING = statuses.RUNNING
    DONE = statuses.DONE
    FAILED = statuses.FAILED


class WriteBack(models.Model):
    """A few fields to write onto one record (e.g. the ERP number onto the CRM account).

    An outbox row, drained by its own task under the receiving connector's rate limit, so
    a CRM without bulk updates never holds up the main sync. One pending row per record:
    a newer value replaces the pending one instead of queueing a second call.
    """

    flow = models.ForeignKey(
        "syncjobs.SyncFlow", models.CASCADE, related_name="write_backs", verbose_name=_("flow")
    )
    connector = models.ForeignKey(
        "syncjobs.Connector", models.CASCADE, related_name="+", verbose_name=_("connector")
    )
    object_name = models.CharField(_("object"), max_length=100)
    record_id = models.CharField(_("record ID"), max_length=128)
    values = RemoteJSONField(_("values"), default=dict)
    status = models.CharField(
        _("status"), max_length=10, choices=WriteBackStatus.choices, default=WriteBackStatus.PENDING
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    claimed_by = models.CharField(_("claimed by"), max_length=200, blank=True)
    claimed_at = models.DateTimeField(_("claimed"), null=True, blank=True)
    error_message = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(pgettext_lazy("timestamp", "created"), auto_now_add=True)
    done_at = models.DateTimeField(_("done"), null=True, blank=True)

    class Meta:
        verbose_name = _("write-back")
        verbose_name_plural = _("write-backs")
        ordering = ("id",)
        constraints = [
            models.UniqueConstraint(
                fields=["connector", "object_name", "record_id"],
                condition=Q(status="pending"),
                name="writeback_one_pending",
            )
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="writeback_status_next")]

    def __str__(self):
        return f"{self.object_name} {self.record_id} ← {self.values}"


class ParentWait(models.Model):
    """A record that cannot be synced until a parent record of another flow is.

    Written when a lookup finds no cross-reference and the parent's own sync did not bring
    it; deleted when the parent lands, which queues the child again.
    """

    flow = models.ForeignKey(
        "syncjobs.SyncFlow", models.CASCADE, related_name="parent_waits", verbose_name=_("flow")
    )
    source_id = models.CharField(_("source ID"), max_length=128)
    parent_flow = models.ForeignKey(
        "syncjobs.SyncFlow", models.CASCADE, related_name="child_waits", verbose_name=_("parent flow")
    )
    parent_by = models.CharField(_("parent key field"), max_length=20)
    parent_value = models.CharField(_("parent key"), max_length=128)
    created_at = models.DateTimeField(pgettext_lazy("timestamp", "created"), auto_now_add=True)

    class Meta:
        verbose_name = _("record waiting for a parent")
        verbose_name_plural = _("records waiting for a parent")
        constraints = [
            models.UniqueConstraint(
                fields=["flow", "source_id", "parent_flow", "parent_by", "parent_value"],
                name="parentwait_unique",
            )
        ]
        indexes = [
            models.Index(fields=["parent_flow", "parent_by", "parent_value"], name="parentwait_parent"),
        ]

    def __str__(self):
        return f"{self.source_id} → {self.parent_value}"
