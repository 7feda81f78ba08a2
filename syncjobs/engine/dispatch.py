"""How follow-up work is started: through the task queue (after commit), or in this process.

Runs started from the admin, a schedule or a worker go through django-q2; the ``sync``
command has no queue worker behind it, so it runs follow-ups itself, one after another.
Tasks carry ids only.
"""

import logging
import threading

from django.db import connections, transaction

logger = logging.getLogger(__name__)

EXECUTE_RUN = "syncjobs.tasks.execute_run"
HELP_RUN = "syncjobs.tasks.help_run"
DRAIN_WRITE_BACKS = "syncjobs.tasks.drain_write_backs"


def enqueue(func, *args):
    """Queue ``func(*args)`` once the current transaction commits (at once outside one)."""
    from django_q.tasks import async_task

    transaction.on_commit(lambda: async_task(func, *args, group=func.rsplit(".", 1)[-1]))


class QueueDispatcher:
    """Follow-ups go to the queue: shared by every worker of the cluster."""

    inline = False

    def run(self, run_id):
        enqueue(EXECUTE_RUN, run_id)

    def help(self, run_id, count):
        for _ in range(count):
            enqueue(HELP_RUN, run_id)

    def drain_write_backs(self):
        enqueue(DRAIN_WRITE_BACKS)


class InlineDispatcher:
    """Follow-ups are collected and run by this process when the current run is done."""

    inline = True

    def __init__(self):
        self.runs = []
        self.write_backs = False

    def run(self, run_id):
        if run_id not in self.runs:
            self.runs.append(run_id)

    def help(self, run_id, count):
        """No helpers: this process works through the batches itself."""

    def join(self):
        """Nothing to wait for: there are no helpers."""

    def drain_write_backs(self):
        self.write_backs = True

    def take_runs(self):
        runs, self.runs = self.runs, []
        return runs


class ThreadedDispatcher(InlineDispatcher):
    """As ``InlineDispatcher``, but a large run's helpers are threads of this process.

    The ``sync`` command has no queue workers to share a large run with; threads do the
    same: each claims free batches by compare-and-set like a worker on another machine,
    so one thread's batch waits on an API while another's is mapped and stored. Each
    thread has its own database connection, closed when it is done. ``runner`` is the class
    each helper runs (``syncjobs.engine.runner.Runner``, handed in since it dispatches here).
    """

    def __init__(self, threads, runner, **context):
        super().__init__()
        self.wanted = threads
        self.runner = runner
        self.context = context
        self.threads = []

    def help(self, run_id, count):
        """Start ``threads − 1`` helpers; the command's ``--threads`` decides, not the flow's
        ``parallel_batches`` (``count``), which is sized for the queue's workers."""
        for _ in range(self.wanted - 1):
            thread = threading.Thread(target=self._help, args=(run_id,), daemon=True)
            thread.start()
            self.threads.append(thread)

    def _help(self, run_id):
        try:
            self.runner(run_id, dispatcher=self, **self.context).execute()
        except Exception:  # a helper's failure leaves its batch to the leader's take-over
            logger.exception("A helper thread of run %s failed", run_id)
        finally:
            connections.close_all()

    def join(self):
        while self.threads:
            self.threads.pop().join()
