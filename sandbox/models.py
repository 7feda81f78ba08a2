"""State shared by both simulated systems: their switches (faults, clock) and the call log."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SystemSwitches(models.Model):
    """Fault switches and clock of one simulated system, changeable on a running server.

    ``faults`` holds the switch values (see ``sandbox.faults.FAULT_DEFAULTS`` and each
    system's extra switches). ``version`` grows on every change so a server restarts its
    seeded random sequence when the switches change.
    """

    system = models.CharField(_("system"), max_length=20, primary_key=True)
    faults = models.JSONField(_("fault switches"), default=dict, blank=True)
    seed = models.IntegerField(_("random seed"), default=1)
    version = models.PositiveIntegerField(default=0)
    clock_offset_seconds = models.FloatField(_("clock offset (seconds)"), default=0)
    sessions_valid_after = models.DateTimeField(
        _("sessions issued before this are expired"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("system switches")
        verbose_name_plural = _("system switches")

    def __str__(self):
        return self.system


class CallLogEntry(models.Model):
    """One call received by a simulated system, with what the simulator did with it."""

    system = models.CharField(_("system"), max_length=20, db_index=True)
    tenant = models.CharField(_("tenant"), max_length=64, blank=True, db_index=True)
    operation = models.CharField(_("operation"), max_length=80)
    outcome = models.CharField(_("outcome"), max_length=40)
    detail = models.CharField(_("detail"), max_length=400, blank=True)
    rows = models.IntegerField(_("rows"), default=0)
    at = models.DateTimeField(_("at"), db_index=True)
    elapsed_ms = models.FloatField(_("elapsed (ms)"), default=0)

    class Meta:
        verbose_name = _("sandbox call")
        verbose_name_plural = _("sandbox call log")
        ordering = ["id"]
        indexes = [models.Index(fields=["system", "tenant", "id"])]

    def __str__(self):
        return f"{self.system} {self.operation} {self.outcome}"
