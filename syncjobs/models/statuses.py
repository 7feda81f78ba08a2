"""The status words shared by runs (and their phases), records, batches, write-backs, reports,
exports and sends.

Each model's ``TextChoices`` draws the statuses it has from here, so a value is stored as the
same text and shown with the same translated label wherever it appears; a model only spells
out a status of its own (a run ``partial``, a record ``waiting``) or a label that says more
(an export ``done`` is "Ready to download").
"""

from django.utils.translation import gettext_lazy as _

PENDING = "pending", _("Pending")
QUEUED = "queued", _("Queued")
RUNNING = "running", _("Running")
DONE = "done", _("Done")
SUCCEEDED = "succeeded", _("Succeeded")
FAILED = "failed", _("Failed")
