"""Runs of a flow and the outcome of every record in them: the domain's audit trail."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from syncjobs.fields import RedactedJSONField, RedactedTextField
from syncjobs.models import statuses
from syncjobs.stored_messages import stored, stored_text


class Trigger(models.TextChoices):
    SCHEDULE = "schedule", _("Schedule")
    MANUAL = "manual", _("Manual")
    WEBHOOK = "webhook", _("Webhook")
    RETRY = "retry", _("Retry")
    DEPENDENCY = "dependency", _("Needed by a waiting record")


class RunStatus(models.TextChoices):
    QUEUED = statuses.QUEUED
    RUNNING = statuses.RUNNING
    SUCCEEDED = statuses.SUCCEEDED
    PARTIAL = "partial", _("Partly failed")
    FAILED = statuses.FAILED
    PAUSED = "paused", _("Paused")


class RunPhase(models.TextChoices):
    QUEUED = statuses.QUEUED
    READING = "reading", _("Reading the source")
    WRITING = "writing", _("Writing the target")
    DONE = statuses.DONE


class RecordAction(models.TextChoices):
    CREATE = "create", _("Create")
    UPDATE = "update", _("Update")
    UNCHANGED = "unchanged", _("Unchanged")
    SKIP = "skip", _("Skip")
    VOID = "void", _("Void")


class RecordStatus(models.TextChoices):
    SUCCEEDED = statuses.SUCCEEDED
    FAILED = statuses.FAILED
    WAITING = "waiting", _("Waiting for a parent record")
    DEAD = "dead", _("Gave up after retries")
    SUPERSEDED = "superseded", _("Superseded by a later attempt")
    IGNORED = "ignored", _("Ignored")
    RESOLVED = "resolved", _("Resolved by hand")


class SyncRun(models.Model):
    """One execution of a flow, with its counts, timings and the mapping version it used."""

    flow = models.ForeignKey(
        "syncjobs.SyncFlow", models.PROTECT, db_index=False, related_name="runs", verbose_name=_("flow")
    )
    trigger = models.CharField(_("trigger"), max_length=10, choices=Trigger.choices, default=Trigger.SCHEDULE)
    status = models.CharField(_("status"), max_length=10, choices=RunStatus.choices, default=RunStatus.QUEUED)
    phase = models.CharField(_("phase"), max_length=10, choices=RunPhase.choices, default=RunPhase.QUEUED)
    worker = models.CharField(
        _("worker"), max_length=200, blank=True, help_text=_("The process reading the source for this run.")
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    options = models.JSONField(
        _("options"),
        default=dict,
        blank=True,
        help_text=_("How the run was asked for: full resync, record IDs."),
    )
    joinable = models.BooleanField(
        _("joins later requests"),
        default=False,
        help_text=_("While queued, later requests for the flow (webhook, schedule, run now) join this run."),
    )
    request_count = models.PositiveIntegerField(
        _("requests"),
        default=1,
        help_text=_("How many requests this run answers (joined while it was queued)."),
    )
    mapping_version = models.ForeignKey(
        "syncjobs.MappingVersion",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="runs",
        verbose_name=_("mapping version"),
    )
    queued_at = models.DateTimeField(_("queued"), default=timezone.now)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(_("last heartbeat"), null=True, blank=True)
    resume_after = models.DateTimeField(
        _("resume after"),
        null=True,
        blank=True,
        help_text=_("When a paused run (e.g. daily quota used up) continues."),
    )
    read_count = models.PositiveIntegerField(pgettext_lazy("count", "read"), default=0)
    created_count = models.PositiveIntegerField(pgettext_lazy("count", "created"), default=0)
    updated_count = models.PositiveIntegerField(pgettext_lazy("count", "updated"), default=0)
    unchanged_count = models.PositiveIntegerField(pgettext_lazy("count", "unchanged"), default=0)
    skipped_count = models.PositiveIntegerField(pgettext_lazy("count", "skipped"), default=0)
    echo_count = models.PositiveIntegerField(
        pgettext_lazy("count", "echoes skipped"),
        default=0,
        help_text=_("Records that came back changed only by the hub's own writes, so were not read."),
    )
    failed_count = models.PositiveIntegerField(pgettext_lazy("count", "failed"), default=0)
    progress_done = models.PositiveIntegerField(_("records done"), default=0)
    progress_total = models.PositiveIntegerField(_("records expected"), null=True, blank=True)
    api_calls = models.JSONField(
        _("API calls"), default=dict, blank=True, help_text=_("Calls per connector and operation.")
    )
    timings = models.JSONField(
        _("timings (seconds)"), default=dict, blank=True, help_text=_("Time spent per phase.")
    )
    message = RedactedTextField(_("message"), blank=True)
    # The message id and parameters behind message, so it is read in the reader's language.
    message_params = RedactedJSONField(_("message and parameters"), default=dict, blank=True)

    class Meta:
        verbose_name = _("run")
        verbose_name_plural = _("runs")
        ordering = ("-id",)
        indexes = [
            models.Index(fields=["flow", "-id"], name="syncrun_flow_id"),
            models.Index(fields=["status", "heartbeat_at"], name="syncrun_status_heartbeat"),
            models.Index(fields=["queued_at"], name="syncrun_queued_at"),
        ]
        # A flow has one queued run that requests join: two requests arriving at once both
        # try to insert it, and the loser joins the winner (``engine.runs.join_or_queue``).
        constraints = [
            models.UniqueConstraint(
                fields=["flow"],
                condition=Q(status="queued", joinable=True),
                name="syncrun_one_queued_per_flow",
            ),
        ]

    def __str__(self):
        return _("Run %(id)s of %(flow)s") % {"id": self.pk, "flow": self.flow}

    @property
    def duration(self):
        """How long the run took (or has been running), or ``None`` before it started."""
        if self.started_at is None:
            return None
        return (self.finished_at or timezone.now()) - self.started_at

    @property
    def message_text(self):
        """The run's message in the active language (as stored for runs from before)."""
        return stored_text(self.message_params, self.message)

    @staticmethod
    def message_fields(message):
        """The columns keeping ``message``: its text now, and its id and parameters if it is a ``Message``."""
        text, params = stored(message)
        return {"message": text, "message_params": params}


class SyncRecord(models.Model):
    """The outcome of one source record in one run, explained for the person who checks it.

    ``action`` is what the engine decided (create, update, unchanged, skip); ``status`` is
    how it ended. Snapshots, payloads, responses and errors are redacted when stored.
    """

    run = models.ForeignKey(
        SyncRun, models.CASCADE, db_index=False, related_name="records", verbose_name=_("run")
    )
    flow = models.ForeignKey(
        "syncjobs.SyncFlow", models.PROTECT, db_index=False, related_name="records", verbose_name=_("flow")
    )
    mapping_version = models.ForeignKey(
        "syncjobs.MappingVersion",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="records",
        verbose_name=_("mapping version"),
    )
    source_id = models.CharField(_("source ID"), max_length=128)
    source_number = models.CharField(_("source number"), max_length=128, blank=True)
    source_modified_at = models.DateTimeField(_("source changed"), null=True, blank=True)
    target_id = models.CharField(_("target ID"), max_length=128, blank=True)
    target_number = models.CharField(_("target number"), max_length=128, blank=True)
    action = models.CharField(_("action"), max_length=10, choices=RecordAction.choices, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=RecordStatus.choices)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    post_actions_done = models.JSONField(_("post-actions done"), default=list, blank=True)
    waiting_for = models.CharField(
        _("waiting for"),
        max_length=255,
        blank=True,
        help_text=_("The parent record that must be synced first."),
    )
    error_code = models.CharField(_("error code"), max_length=64, blank=True)
    error_field = models.CharField(_("field"), max_length=255, blank=True)
    error_message = RedactedTextField(_("error"), blank=True)
    # The message id and parameters behind error_message, so it is read in the reader's language.
    error_params = RedactedJSONField(_("error message and parameters"), default=dict, blank=True)
    source_snapshot = RedactedJSONField(_("source record"), default=dict, blank=True)
    mapped_payload = RedactedJSONField(_("mapped payload"), default=dict, blank=True)
    response_excerpt = RedactedJSONField(_("response excerpt"), null=True, blank=True)
    created_at = models.DateTimeField(pgettext_lazy("timestamp", "created"), default=timezone.now)
    updated_at = models.DateTimeField(pgettext_lazy("timestamp", "updated"), auto_now=True)

    class Meta:
        verbose_name = _("record")
        verbose_name_plural = _("records")
        ordering = ("-id",)
        permissions = [("rerun_syncrecord", _("Can re-run records"))]
        # The changelist filters by flow, status and date and searches ids and numbers
        # over millions of rows; each of those reads starts from one of these.
        indexes = [
            models.Index(fields=["flow", "status", "-id"], name="syncrecord_flow_status_id"),
            models.Index(fields=["status", "-id"], name="syncrecord_status_id"),
            models.Index(fields=["run", "status"], name="syncrecord_run_status"),
            models.Index(fields=["status", "next_attempt_at"], name="syncrecord_status_next"),
            models.Index(fields=["source_id"], name="syncrecord_source_id"),
            models.Index(fields=["source_number"], name="syncrecord_source_number"),
            models.Index(fields=["target_id"], name="syncrecord_target_id"),
            models.Index(fields=["target_number"], name="syncrecord_target_number"),
            models.Index(fields=["created_at"], name="syncrecord_created_at"),
        ]

    def __str__(self):
        return _("Record %(source)s in run %(run)s") % {
            "source": self.source_number or self.source_id,
            "run": self.run_id,
        }

    @property
    def error_text(self):
        """The failure reason in the active language (as stored for attempts from before)."""
        return stored_text(self.error_params, self.error_message)
