"""Value maps: translate one system's codes into the other's (CRM option → ERP base-data number)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords


class ValueMapManager(models.Manager):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class ValueMap(models.Model):
    """A named table of source value → target value, used by the ``value_map`` transform."""

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=150)
    description = models.TextField(_("description"), blank=True)
    updated_at = models.DateTimeField(pgettext_lazy("timestamp", "updated"), auto_now=True)

    history = HistoricalRecords()
    objects = ValueMapManager()

    class Meta:
        verbose_name = _("value map")
        verbose_name_plural = _("value maps")
        ordering = ("name",)

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.slug,)

    def as_dict(self):
        """``{source value: target value}``, as the mapping evaluator reads it."""
        return {entry.source_value: entry.target_value for entry in self.entries.all()}


class ValueMapEntry(models.Model):
    value_map = models.ForeignKey(
        ValueMap, models.CASCADE, related_name="entries", verbose_name=_("value map")
    )
    source_value = models.CharField(_("source value"), max_length=255)
    target_value = models.CharField(_("target value"), max_length=255)
    note = models.CharField(_("note"), max_length=255, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("value map entry")
        verbose_name_plural = _("value map entries")
        ordering = ("source_value",)
        constraints = [
            models.UniqueConstraint(fields=["value_map", "source_value"], name="valuemapentry_unique_source"),
        ]

    def __str__(self):
        return f"{self.source_value} → {self.target_value}"
