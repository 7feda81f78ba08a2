"""How a run's work is shared: batches claimed by compare-and-set, one lease per flow."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from syncjobs.fields import RemoteJSONField
from syncjobs.models import statuses


class BatchStatus(models.TextChoices):
    PENDING = statuses.PENDING
    RUNNING = statuses.RUNNING
    DONE = statuses.DONE


class SyncBatch(models.Model):
    """A slice of a run's source records, processed by exactly one worker at a time.

    The reader stores the records it pulled (``records``, serialised ``SourceRecord``s) so any
    worker can process the batch without reading the source again. A worker claims it with
    ``filter(status=PENDING).update(status=RUNNING) == 1``; the outcomes are stored in the
    same transaction that marks it done, after which ``records`` is emptied (the record logs
    keep the snapshots). ``source_ids`` stays, so a reader resuming a run skips what it holds.
    """

    run = models.ForeignKey(
        "syncjobs.SyncRun", models.CASCADE, db_index=False, related_name="batches", verbose_name=_("run")
    )
    seq = models.PositiveIntegerField(_("sequence"))
    status = models.CharField(
        _("status"), max_length=10, choices=BatchStatus.choices, default=BatchStatus.PENDING
    )
    records = RemoteJSONField(_("source records"), default=list, blank=True)
    source_ids = RemoteJSONField(_("source IDs"), default=list, blank=True)
    record_count = models.PositiveIntegerField(_("records"), default=0)
    last_modified_at = models.DateTimeField(_("latest source change"), null=True, blank=True)
    last_ids = RemoteJSONField(_("records at the latest change"), default=list, blank=True)
    claimed_by = models.CharField(_("claimed by"), max_length=200, blank=True)
    claimed_at = models.DateTimeField(_("claimed"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(_("last heartbeat"), null=True, blank=True)
    not_before = models.DateTimeField(
        _("not before"), null=True, blank=True, help_text=_("Set while a connector asks us to wait.")
    )
    claims = models.PositiveIntegerField(_("times claimed"), default=0)
    counts = models.JSONField(_("counts"), default=dict, blank=True)
    api_calls = models.JSONField(_("API calls"), default=dict, blank=True)
    timings = models.JSONField(_("timings (seconds)"), default=dict, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("batch")
        verbose_name_plural = _("batches")
        ordering = ("run", "seq")
        constraints = [models.UniqueConstraint(fields=["run", "seq"], name="syncbatch_unique_seq")]
        indexes = [models.Index(fields=["run", "status", "seq"], name="syncbatch_run_status_seq")]

    def __str__(self):
        return _("Batch %(seq)s of run %(run)s") % {"seq": self.seq, "run": self.run_id}


class FlowLease(models.Model):
    """Which run of a flow may read its source and move its watermark: at most one at a time.

    Taken and renewed by compare-and-set on ``expires_at``; a run that stops renewing it (its
    worker was killed) loses it when it expires, and the run is then resumed.
    """

    flow = models.OneToOneField(
        "syncjobs.SyncFlow", models.CASCADE, primary_key=True, related_name="lease", verbose_name=_("flow")
    )
    run = models.ForeignKey(
        "syncjobs.SyncRun",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("held by run"),
    )
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)

    class Meta:
        verbose_name = _("flow lease")
        verbose_name_plural = _("flow leases")

    def __str__(self):
        return _("Lease of %(flow)s") % {"flow": self.flow_id}
