"""What people did about a record's outcome: the audit trail of the records console."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from syncjobs.fields import RedactedJSONField


class InterventionKind(models.TextChoices):
    REPLAY = "replay", _("Edited payload replayed")
    RESOLVE = "resolve", _("Marked resolved")
    IGNORE = "ignore", _("Marked ignored")


class RecordIntervention(models.Model):
    """One hand-made change to a record's fate, kept for good: who, when, why and what.

    A replay keeps the payload the engine had mapped (``original_payload``) beside the one
    the person sent instead (``edited_payload``) and the fields that differ (``changes``);
    the record log itself is never altered. Append-only: rows are never edited or deleted.
    """

    record = models.ForeignKey(
        "syncjobs.SyncRecord", models.CASCADE, related_name="interventions", verbose_name=_("record")
    )
    flow = models.ForeignKey(
        "syncjobs.SyncFlow", models.CASCADE, db_index=False, related_name="+", verbose_name=_("flow")
    )
    source_id = models.CharField(_("source ID"), max_length=128)
    kind = models.CharField(_("what was done"), max_length=10, choices=InterventionKind.choices)
    reason = models.TextField(_("reason"), blank=True)
    previous_status = models.CharField(_("status before"), max_length=10, blank=True)
    original_payload = RedactedJSONField(_("payload as mapped"), null=True, blank=True)
    edited_payload = RedactedJSONField(_("payload as edited"), null=True, blank=True)
    changes = RedactedJSONField(
        _("changed fields"), default=list, blank=True, help_text=_("[field, before, after] for each change.")
    )
    run = models.ForeignKey(
        "syncjobs.SyncRun",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("replay run"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    created_at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        verbose_name = _("record intervention")
        verbose_name_plural = _("record interventions")
        ordering = ("-id",)
        default_permissions = ("view",)
        permissions = [
            ("replay_syncrecord", _("Can edit a record's payload and replay it")),
            ("resolve_syncrecord", _("Can mark records resolved or ignored")),
        ]
        indexes = [models.Index(fields=["flow", "source_id", "-id"], name="intervention_flow_source")]

    def __str__(self):
        return _("%(kind)s: record %(source)s") % {"kind": self.get_kind_display(), "source": self.source_id}
