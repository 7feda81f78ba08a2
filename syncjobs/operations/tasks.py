"""The console's tasks under the dotted path they were queued by before they moved to ``syncjobs.tasks``.

django-q2 names a task by its path: a task already queued at the upgrade (a reconciliation
report someone asked for, a check its schedule had just fired) or a failed one resubmitted
from the queue's admin still names ``syncjobs.operations.tasks.<name>``, and would fail
without this module. The schedules themselves were rewritten by the ``task_paths`` migration.
It can go once no queued or failed task names the old path.
"""

from syncjobs.tasks import (  # noqa: F401 - the old paths of the tasks
    check_alerts,
    check_field_drift,
    prune_records,
    run_reconciliation,
    scheduled_reconciliation,
    send_alert_digest,
)
