"""Exports too large to build while the browser waits: built by a task, then downloaded."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from syncjobs.models import statuses


class ExportStatus(models.TextChoices):
    QUEUED = statuses.QUEUED
    RUNNING = statuses.RUNNING
    DONE = "done", _("Ready to download")
    FAILED = statuses.FAILED


class ExportFile(models.Model):
    """One background export: what was asked for (the list's filters, the columns), its progress, its file."""

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="+", verbose_name=_("requested by")
    )
    model_name = models.CharField(_("exported list"), max_length=100)
    file_format = models.CharField(_("format"), max_length=10)
    query = models.JSONField(_("filters"), default=dict, blank=True)
    fields = models.JSONField(_("columns"), default=list, blank=True)
    language = models.CharField(_("language"), max_length=10)
    status = models.CharField(
        _("status"), max_length=10, choices=ExportStatus.choices, default=ExportStatus.QUEUED
    )
    rows_total = models.PositiveIntegerField(_("rows expected"), null=True, blank=True)
    rows_done = models.PositiveIntegerField(_("rows written"), default=0)
    file_name = models.CharField(_("file name"), max_length=200, blank=True)
    message = models.TextField(_("message"), blank=True)
    created_at = models.DateTimeField(pgettext_lazy("timestamp", "created"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("export file")
        verbose_name_plural = _("export files")
        ordering = ("-id",)

    def __str__(self):
        return self.file_name or _("Export %(id)s") % {"id": self.pk}
