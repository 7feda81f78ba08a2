"""What the operations console keeps: alert mails sent, webhook events received, reconciliations."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from syncjobs.models import statuses


class AlertNotice(models.Model):
    """The last mail sent for one alert cause; a cause is mailed at most once an hour.

    ``cause`` names what went wrong and where (``flow-failing:12``, ``breaker-open:k3cloud:erp``)
    and is unique, so the right to send is claimed by compare-and-set on ``last_sent_at``.
    ``message`` is the text of the mail the admins got; blank when that send reached only the
    rules' channels, so its recovery is not mailed.
    """

    cause = models.CharField(_("cause"), max_length=200, unique=True)
    subject = models.CharField(_("subject"), max_length=255)
    message = models.TextField(_("message"), blank=True)
    first_sent_at = models.DateTimeField(_("first sent"), default=timezone.now)
    last_sent_at = models.DateTimeField(_("last sent"), default=timezone.now)
    sent_count = models.PositiveIntegerField(_("mails sent"), default=0)

    class Meta:
        verbose_name = _("alert")
        verbose_name_plural = _("alerts")
        ordering = ("-last_sent_at",)

    def __str__(self):
        return self.subject


class WebhookEvent(models.Model):
    """One accepted webhook event. The unique event id turns a replayed delivery into a no-op."""

    event_id = models.CharField(_("event ID"), max_length=100, unique=True)
    received_at = models.DateTimeField(_("received"), default=timezone.now, db_index=True)
    object_name = models.CharField(_("object"), max_length=100, blank=True)
    flow_slug = models.CharField(_("flow"), max_length=80, blank=True)
    record_ids = models.JSONField(_("record IDs"), default=list, blank=True)
    runs = models.JSONField(_("runs started"), default=list, blank=True)

    class Meta:
        verbose_name = _("webhook event")
        verbose_name_plural = _("webhook events")
        ordering = ("-received_at",)

    def __str__(self):
        return self.event_id


class ReportStatus(models.TextChoices):
    QUEUED = statuses.QUEUED
    RUNNING = statuses.RUNNING
    DONE = statuses.DONE
    FAILED = statuses.FAILED


class ReconciliationReport(models.Model):
    """CRM and ERP compared over a period: orders, shipments and receipts, counted and summed."""

    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to (inclusive)"))
    crm_connector = models.ForeignKey(
        "syncjobs.Connector", models.PROTECT, related_name="+", verbose_name=_("CRM connector")
    )
    erp_connector = models.ForeignKey(
        "syncjobs.Connector", models.PROTECT, related_name="+", verbose_name=_("ERP connector")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.QUEUED
    )
    scheduled = models.BooleanField(_("scheduled"), default=False)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    created_at = models.DateTimeField(pgettext_lazy("timestamp", "created"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    totals = models.JSONField(
        _("totals"), default=dict, blank=True, help_text=_("Counts and amounts per document kind and side.")
    )
    message = models.TextField(_("message"), blank=True)

    class Meta:
        verbose_name = _("reconciliation report")
        verbose_name_plural = _("reconciliation reports")
        ordering = ("-id",)

    def __str__(self):
        return _("Reconciliation %(start)s – %(end)s") % {"start": self.period_start, "end": self.period_end}


class DocumentKind(models.TextChoices):
    ORDER = "order", _("Orders")
    SHIPMENT = "shipment", _("Shipments")
    RECEIPT = "receipt", _("Receipts")


class Problem(models.TextChoices):
    MISSING_IN_ERP = "missing_in_erp", _("Missing in the ERP")
    MISSING_IN_CRM = "missing_in_crm", _("Missing in the CRM")
    AMOUNT_DIFFERS = "amount_differs", _("Amounts differ")
    DATE_DIFFERS = "date_differs", _("Dated in another period on the other side")


class ReconciliationDifference(models.Model):
    """One document that is on one side only, or whose amounts differ between the sides."""

    report = models.ForeignKey(
        ReconciliationReport, models.CASCADE, related_name="differences", verbose_name=_("report")
    )
    kind = models.CharField(_("document"), max_length=10, choices=DocumentKind.choices)
    problem = models.CharField(_("problem"), max_length=20, choices=Problem.choices)
    crm_id = models.CharField(_("CRM ID"), max_length=128, blank=True)
    crm_number = models.CharField(_("CRM number"), max_length=128, blank=True)
    crm_date = models.DateField(_("CRM date"), null=True, blank=True)
    crm_amount = models.DecimalField(_("CRM amount"), max_digits=20, decimal_places=4, null=True, blank=True)
    erp_id = models.CharField(_("ERP ID"), max_length=128, blank=True)
    erp_number = models.CharField(_("ERP number"), max_length=128, blank=True)
    erp_date = models.DateField(_("ERP date"), null=True, blank=True)
    erp_amount = models.DecimalField(_("ERP amount"), max_digits=20, decimal_places=4, null=True, blank=True)

    class Meta:
        verbose_name = _("reconciliation difference")
        verbose_name_plural = _("reconciliation differences")
        ordering = ("report", "kind", "problem", "id")
        indexes = [models.Index(fields=["report", "kind", "problem"], name="recondiff_report_kind")]

    def __str__(self):
        return (
            f"{self.get_kind_display()}: {self.crm_number or self.erp_number} ({self.get_problem_display()})"
        )
