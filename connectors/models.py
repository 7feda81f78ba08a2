"""Tables behind the database backend of the shared connector state (``connectors.state``).

Every worker process reads and writes these rows, so changes are made with compare-and-set
``UPDATE`` statements (on ``version`` or ``owner``) that behave the same on SQLite and
PostgreSQL, never with per-process memory.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SharedStateEntry(models.Model):
    """One shared value: a cached token or session, a lock, a counter or a rate-limit log.

    ``version`` grows on every write so a writer can update only the value it read.
    ``owner`` holds the token of a lock's current holder (blank when the lock is free).
    An entry whose ``expires_at`` has passed reads as absent.
    """

    key = models.CharField(_("key"), max_length=255, unique=True)
    value = models.JSONField(_("value"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    version = models.PositiveBigIntegerField(_("version"), default=0)
    owner = models.CharField(_("lock owner"), max_length=64, blank=True, default="")

    class Meta:
        verbose_name = _("shared state entry")
        verbose_name_plural = _("shared state entries")

    def __str__(self):
        return self.key


class ApiCallCounter(models.Model):
    """How many calls of one operation a connector made on one day (in ``TIME_ZONE``)."""

    scope = models.CharField(_("scope"), max_length=120)
    day = models.DateField(_("day"))
    operation = models.CharField(_("operation"), max_length=120)
    count = models.PositiveBigIntegerField(_("calls"), default=0)

    class Meta:
        verbose_name = _("API call counter")
        verbose_name_plural = _("API call counters")
        constraints = [
            models.UniqueConstraint(fields=["scope", "day", "operation"], name="unique_api_call_counter"),
        ]

    def __str__(self):
        return f"{self.scope} {self.day} {self.operation}: {self.count}"
