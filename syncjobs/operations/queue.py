"""How long the oldest task has been waiting in the django-q2 queue.

The ORM broker keeps a waiting task's enqueue time (or, once handed out and not
acknowledged, the time it becomes due again) in ``OrmQ.lock``; the Redis broker keeps the
signed task package, whose ``started`` is when it was queued. Other brokers report nothing.
"""

from django.db.models import Min
from django.utils import timezone
from django_q.conf import Conf
from django_q.models import OrmQ
from django_q.signing import SignedPackage


def oldest_queued_at(now=None):
    """When the oldest task still waiting for a worker was queued (aware), or None."""
    now = now or timezone.now()
    if Conf.ORM:
        waiting = OrmQ.objects.using(Conf.ORM).filter(key=Conf.CLUSTER_NAME, lock__lte=now)
        return waiting.aggregate(oldest=Min("lock"))["oldest"]
    if Conf.REDIS:
        return _redis_oldest()
    return None


def _redis_oldest():
    from django_q.brokers import get_broker

    broker = get_broker()
    package = broker.connection.lindex(broker.list_key, 0)  # rpush to the tail, blpop from the head
    if package is None:
        return None
    try:
        return SignedPackage.loads(package).get("started")
    except Exception:  # noqa: BLE001 - a package signed with another key is still a waiting task
        return None


def oldest_queued_age(now=None):
    """Seconds the oldest waiting task has waited (0 when nothing waits)."""
    now = now or timezone.now()
    oldest = oldest_queued_at(now)
    return max(0.0, (now - oldest).total_seconds()) if oldest else 0.0
