"""Flows, their field mapping rows and the immutable versions of those rows."""

import hashlib
import json

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from syncjobs import validators
from syncjobs.mapping import row_errors, transform_choices


class Operation(models.TextChoices):
    CREATE = "create", _("Create only")
    UPDATE = "update", _("Update only")
    UPSERT = "upsert", _("Create or update")


class SyncFlowManager(models.Manager):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class SyncFlow(models.Model):
    """Records of one object in a source system, kept in sync with one object in a target system."""

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=150)
    description = models.TextField(_("description"), blank=True)
    source_connector = models.ForeignKey(
        "syncjobs.Connector", models.PROTECT, related_name="source_flows", verbose_name=_("source connector")
    )
    source_object = models.CharField(
        _("source object"),
        max_length=100,
        help_text=_("A Fxiaoke API name (AccountObj) or a K3Cloud form ID (BD_Customer)."),
    )
    target_connector = models.ForeignKey(
        "syncjobs.Connector", models.PROTECT, related_name="target_flows", verbose_name=_("target connector")
    )
    target_object = models.CharField(_("target object"), max_length=100)
    operation = models.CharField(
        _("operation"), max_length=10, choices=Operation.choices, default=Operation.UPSERT
    )
    match_keys = models.JSONField(
        _("match keys"),
        default=list,
        blank=True,
        validators=[validators.validate_match_keys],
        help_text=_(
            'Target fields used to adopt a record that already exists, tried in order, e.g. ["FNumber"].'
        ),
    )
    post_actions = models.JSONField(
        _("post-actions"),
        default=list,
        blank=True,
        validators=[validators.validate_post_actions],
        help_text=_('Run after each write, e.g. [{"action": "submit"}, {"action": "audit"}].'),
    )
    source_filter = models.JSONField(
        _("source filter"),
        default=list,
        blank=True,
        validators=[validators.validate_source_filter],
        help_text=_("Only source records matching these conditions are synced."),
    )
    schedule_minutes = models.PositiveIntegerField(
        _("run every (minutes)"), null=True, blank=True, validators=[MinValueValidator(1)]
    )
    schedule_cron = models.CharField(
        _("cron schedule"), max_length=100, blank=True, validators=[validators.validate_cron]
    )
    batch_size = models.PositiveIntegerField(
        _("batch size"),
        # A batch costs K3Cloud one lookup, one BatchSave and one call per post-action, so 200
        # keeps a first load under 0.05 calls per record; Kingdee suggests 50–200 rows a save.
        default=200,
        validators=[MinValueValidator(1), MaxValueValidator(1000)],
        help_text=_(
            "Records per batch. Each batch costs the ERP one lookup, one save and one call per "
            "post-action; Kingdee suggests 50–200 rows per save."
        ),
    )
    enabled = models.BooleanField(_("enabled"), default=False)
    depends_on = models.ManyToManyField(
        "self", symmetrical=False, blank=True, related_name="dependents", verbose_name=_("depends on")
    )
    options = models.JSONField(
        _("options"),
        default=dict,
        blank=True,
        validators=[validators.validate_json_object],
        help_text=_('Per-flow settings read by the engine, e.g. {"max_attempts": 5}.'),
    )
    # Incremental state: the engine moves it forward with queryset updates (no history rows).
    watermark = models.DateTimeField(_("synced up to"), null=True, blank=True, editable=False)
    boundary_ids = models.JSONField(
        _("records seen at the watermark"), default=list, blank=True, editable=False
    )
    created_at = models.DateTimeField(pgettext_lazy("timestamp", "created"), auto_now_add=True)
    updated_at = models.DateTimeField(pgettext_lazy("timestamp", "updated"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["watermark", "boundary_ids"], m2m_fields=[depends_on])
    objects = SyncFlowManager()

    class Meta:
        verbose_name = _("flow")
        verbose_name_plural = _("flows")
        ordering = ("name",)
        permissions = [("run_syncflow", _("Can run flows and dry runs"))]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.slug,)

    def clean(self):
        # Validators skip empty values, so an empty list given for the options object lands here.
        if not isinstance(self.options, dict):
            raise ValidationError({"options": _('Enter a JSON object, e.g. {"max_attempts": 5}.')})
        if self.schedule_minutes and self.schedule_cron:
            raise ValidationError(
                {"schedule_cron": _("Choose either an interval or a cron schedule, not both.")}
            )
        if self.source_connector_id and self.source_connector_id == self.target_connector_id:
            if self.source_object == self.target_object:
                raise ValidationError({"target_object": _("The source and the target are the same object.")})


class FieldMapping(models.Model):
    """One target field of a flow and how its value is computed from the source record."""

    flow = models.ForeignKey(SyncFlow, models.CASCADE, related_name="mappings", verbose_name=_("flow"))
    position = models.PositiveIntegerField(_("position"), default=0)
    target_path = models.CharField(
        _("target field"),
        max_length=255,
        help_text=_("Dotted path; “[]” for detail lines: FSaleOrderEntry[].FQty."),
    )
    source_path = models.CharField(
        _("source field"),
        max_length=255,
        blank=True,
        help_text=_("Same syntax; empty for constants and templates."),
    )
    transform = models.CharField(_("transform"), max_length=30, choices=transform_choices(), default="direct")
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    required = models.BooleanField(_("required"), default=False)
    note = models.CharField(_("note"), max_length=255, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("field mapping")
        verbose_name_plural = _("field mappings")
        ordering = ("position", "id")
        constraints = [
            models.UniqueConstraint(fields=["flow", "target_path"], name="fieldmapping_unique_target"),
        ]

    def __str__(self):
        return f"{self.source_path or self.transform} → {self.target_path}"

    def clean(self):
        errors = row_errors(self)
        if errors:
            raise ValidationError(errors)

    def as_row(self):
        """The row as stored in a ``MappingVersion`` snapshot and read by the evaluator."""
        return {
            "position": self.position,
            "target_path": self.target_path,
            "source_path": self.source_path,
            "transform": self.transform,
            "params": self.params,
            "required": self.required,
            "note": self.note,
        }


class MappingVersion(models.Model):
    """An immutable, numbered snapshot of a flow's mapping rows; runs record the one they used."""

    flow = models.ForeignKey(
        SyncFlow, models.CASCADE, related_name="mapping_versions", verbose_name=_("flow")
    )
    number = models.PositiveIntegerField(_("version"))
    rows = models.JSONField(_("mapping rows"))
    fingerprint = models.CharField(_("fingerprint"), max_length=64)
    # Fields the save was told to take although the systems' metadata did not list them:
    # [{"target_path": the row, "fields": [paths]}] (see syncjobs.services.mapping_checks).
    unlisted_fields = models.JSONField(_("fields confirmed as not in the metadata"), default=list, blank=True)
    created_at = models.DateTimeField(pgettext_lazy("timestamp", "created"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )

    class Meta:
        verbose_name = _("mapping version")
        verbose_name_plural = _("mapping versions")
        ordering = ("flow", "-number")
        constraints = [
            models.UniqueConstraint(fields=["flow", "number"], name="mappingversion_unique_number"),
        ]

    def __str__(self):
        return _("%(flow)s, version %(number)s") % {"flow": self.flow, "number": self.number}

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValidationError(
                _("Mapping versions cannot be changed; save the mapping to make a new one.")
            )
        super().save(*args, **kwargs)


def confirmed_unlisted(flow):
    """Target paths of the rows the latest version saved as "not in the metadata"."""
    latest = flow.mapping_versions.order_by("-number").only("unlisted_fields").first()
    return {entry["target_path"] for entry in (latest.unlisted_fields if latest else [])}


def confirmed_unlisted_fields(flow):
    """The field paths the latest version saved as "not in the metadata" (either side)."""
    latest = flow.mapping_versions.order_by("-number").only("unlisted_fields").first()
    return {path for entry in (latest.unlisted_fields if latest else []) for path in entry["fields"]}


def snapshot_rows(flow):
    """The flow's mapping rows as plain dicts, in evaluation order."""
    return [mapping.as_row() for mapping in flow.mappings.order_by("position", "id")]


def fingerprint(rows):
    """A stable hash of snapshot rows: equal rows, equal fingerprint."""
    canonical = json.dumps(rows, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


@transaction.atomic
def record_mapping_version(flow, user=None, unlisted_fields=()):
    """Store a new version if the flow's rows differ from its latest; return ``(version, created)``.

    ``unlisted_fields``: the rows saved although the metadata did not list their fields
    (``[{"target_path", "fields"}]``, see ``syncjobs.services.mapping_checks``), kept on the version.

    Called after every save of mapping rows (admin inlines, imports) and by the engine before
    a run, so a change yields exactly one new version and an unchanged save none. The flow
    row is locked so two saves at once never take the same number.
    """
    SyncFlow.objects.select_for_update().only("pk").get(pk=flow.pk)
    rows = snapshot_rows(flow)
    digest = fingerprint(rows)
    latest = flow.mapping_versions.order_by("-number").first()
    if latest is not None and latest.fingerprint == digest:
        return latest, False
    if latest is None and not rows:
        return None, False
    version = MappingVersion.objects.create(
        flow=flow,
        number=(latest.number + 1) if latest else 1,
        rows=rows,
        fingerprint=digest,
        unlisted_fields=list(unlisted_fields),
        created_by=user if user is not None and user.is_authenticated else None,
    )
    return version, True
