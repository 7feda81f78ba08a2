"""What django-q2's broker holds, read the same way whichever broker the suite runs with.

The ORM broker keeps tasks as ``OrmQ`` rows; the Redis broker as a list that pytest-django's
transactions do not roll back, so tests empty it first and read it without taking tasks.
"""

from django_q.brokers import get_broker
from django_q.models import OrmQ
from django_q.signing import SignedPackage


def _payloads(broker):
    if hasattr(broker.connection, "lrange"):  # Redis
        return [
            p.decode() if isinstance(p, bytes) else p
            for p in broker.connection.lrange(broker.list_key, 0, -1)
        ]
    return list(OrmQ.objects.filter(key=broker.list_key).order_by("id").values_list("payload", flat=True))


def waiting_tasks():
    """``(func, args)`` of each task waiting in the queue, oldest first; the tasks stay queued."""
    tasks = [SignedPackage.loads(payload) for payload in _payloads(get_broker())]
    return [(task["func"], task["args"]) for task in tasks]


def empty_queue():
    get_broker().purge_queue()
