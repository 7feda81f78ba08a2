"""Since when a flow has been further behind its source than its lag threshold."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class LagExcess(models.Model):
    """A flow whose lag is over its threshold, and since when without a break.

    Written by the alert check when it first sees the flow behind, deleted by the first check
    that sees it caught up: the lag alert fires once the excess has lasted long enough.
    """

    flow = models.OneToOneField(
        "syncjobs.SyncFlow", models.CASCADE, primary_key=True, related_name="+", verbose_name=_("flow")
    )
    since = models.DateTimeField(_("behind since"))

    class Meta:
        verbose_name = _("flow behind its threshold")
        verbose_name_plural = _("flows behind their threshold")

    def __str__(self):
        return f"{self.flow_id} ≥ {self.since}"
