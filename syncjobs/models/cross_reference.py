"""Which source record is which target record: the memory that makes writes idempotent."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class CrossReference(models.Model):
    """One source record linked to one target record for an object pair.

    Unique on each side, so one source record never maps to two targets (and the reverse).
    An empty ``target_id`` marks a create in flight: written before the remote create so a
    retry looks the record up instead of creating it twice.
    """

    flow = models.ForeignKey(
        "syncjobs.SyncFlow",
        models.SET_NULL,
        null=True,
        blank=True,
        db_index=False,
        related_name="cross_references",
        verbose_name=_("last written by flow"),
    )
    source_connector = models.ForeignKey(
        "syncjobs.Connector", models.PROTECT, related_name="+", verbose_name=_("source connector")
    )
    source_object = models.CharField(_("source object"), max_length=100)
    source_id = models.CharField(_("source ID"), max_length=128)
    source_number = models.CharField(_("source number"), max_length=128, blank=True)
    target_connector = models.ForeignKey(
        "syncjobs.Connector", models.PROTECT, related_name="+", verbose_name=_("target connector")
    )
    target_object = models.CharField(_("target object"), max_length=100)
    target_id = models.CharField(_("target ID"), max_length=128, blank=True)
    target_number = models.CharField(_("target number"), max_length=128, blank=True)
    fingerprint = models.CharField(
        _("payload fingerprint"), max_length=64, blank=True, help_text=_("Hash of the last payload written.")
    )
    source_digest = models.JSONField(
        _("source record as last synced"),
        default=dict,
        blank=True,
        help_text=_("A short hash of each field of the source record when it was last synced."),
    )
    echo_values = models.JSONField(
        _("values the hub wrote onto the record"),
        default=dict,
        blank=True,
        help_text=_(
            "Fields the hub wrote onto this record since it was last synced (write-backs, other flows), "
            "with their values."
        ),
    )
    echo_pushes = models.PositiveIntegerField(
        _("pushes expected back"),
        default=0,
        help_text=_("Writes onto the source record whose change notification has not come back yet."),
    )
    post_actions_done = models.JSONField(
        _("post-actions done"),
        default=list,
        blank=True,
        help_text=_("Post-actions run on the target since it was last written, so a re-run resumes."),
    )
    claimed_by = models.CharField(
        _("being created by"),
        max_length=200,
        blank=True,
        help_text=_("The worker creating the target record; empty once the outcome is known."),
    )
    first_synced_at = models.DateTimeField(_("first synced"), null=True, blank=True)
    last_synced_at = models.DateTimeField(_("last synced"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("cross-reference")
        verbose_name_plural = _("cross-references")
        ordering = ("-id",)
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "source_connector",
                    "source_object",
                    "source_id",
                    "target_connector",
                    "target_object",
                ],
                name="crossref_unique_source",
            ),
            models.UniqueConstraint(
                fields=[
                    "target_connector",
                    "target_object",
                    "target_id",
                    "source_connector",
                    "source_object",
                ],
                condition=~Q(target_id=""),
                name="crossref_unique_target",
            ),
        ]
        indexes = [
            models.Index(
                fields=["source_connector", "source_object", "source_number"], name="crossref_source_number"
            ),
            models.Index(
                fields=["target_connector", "target_object", "target_number"], name="crossref_target_number"
            ),
            models.Index(fields=["flow", "-id"], name="crossref_flow_id"),
        ]

    def __str__(self):
        source = self.source_number or self.source_id
        target = self.target_number or self.target_id or _("(being created)")
        return f"{self.source_object} {source} → {self.target_object} {target}"

    def as_lookup(self):
        """The four keys a ``lookup`` transform can match on or return."""
        return {
            "source_id": self.source_id,
            "source_number": self.source_number,
            "target_id": self.target_id,
            "target_number": self.target_number,
        }
