"""What the connected systems say about their objects' fields, kept between questions.

``ObjectMetadata`` caches one object's fields (a CRM object's describe; an ERP form's
catalogue fields merged with QueryBusinessInfo), so the editor's pickers, the save check and
Test connection do not spend the systems' call budget again; the console refreshes it on
demand and the daily drift check every day. ``FieldDrift`` is what that check found for a flow:
a mapped field that vanished or changed its type.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from syncjobs.models.connector import Connector
from syncjobs.models.flow import SyncFlow


class ObjectMetadata(models.Model):
    """The fields of one object of one connector, as last read from the system."""

    connector = models.ForeignKey(
        Connector, models.CASCADE, related_name="object_metadata", verbose_name=_("connector")
    )
    object_name = models.CharField(_("object"), max_length=100)
    fields = models.JSONField(_("fields"), default=list)
    fetched_at = models.DateTimeField(_("read at"))

    class Meta:
        verbose_name = _("object metadata")
        verbose_name_plural = _("object metadata")
        constraints = [
            models.UniqueConstraint(fields=["connector", "object_name"], name="objectmetadata_unique_object"),
        ]

    def __str__(self):
        return f"{self.connector} · {self.object_name}"


class FieldDrift(models.Model):
    """Mapped fields of a flow that vanished from their system or changed type; open until cleared."""

    flow = models.ForeignKey(SyncFlow, models.CASCADE, related_name="field_drifts", verbose_name=_("flow"))
    found_at = models.DateTimeField(_("found"))
    changes = models.JSONField(_("changes"), default=list)  # [{"side", "path", "change", "was", "now"}]
    cleared_at = models.DateTimeField(_("cleared"), null=True, blank=True)

    class Meta:
        verbose_name = _("field drift")
        verbose_name_plural = _("field drifts")
        ordering = ("-found_at",)

    def __str__(self):
        return f"{self.flow} · {self.found_at:%Y-%m-%d}"
