"""Shared connector state in the database: the default backend, on SQLite and PostgreSQL alike.

Every write is a compare-and-set ``UPDATE`` (``filter(key=k, version=v).update(version=v + 1)``
succeeds for exactly one writer) or an ``INSERT`` guarded by the unique key, so no
``select_for_update`` is needed. Each call runs in autocommit and costs one or two queries.

Call it outside long transactions: inside ``transaction.atomic`` the writes stay invisible to
other processes until the commit, and other writers to the same rows wait for it.
"""

import time
from datetime import UTC, datetime

from django.db import IntegrityError, transaction
from django.db.models import F, Q

from connectors.models import ApiCallCounter, SharedStateEntry
from connectors.state.base import LOCK_PREFIX, RATE_PREFIX, SharedState

# A wait shorter than this is rounded up, so "> 0" always means "not yet".
MIN_WAIT_SECONDS = 0.001


class DatabaseState(SharedState):
    """Shared state kept in ``SharedStateEntry`` and ``ApiCallCounter`` rows of ``using``."""

    def __init__(self, using="default", clock=time.time):
        super().__init__(clock)
        self.using = using

    # --- values --------------------------------------------------------------------------
    def get(self, key):
        """The value stored under ``key``, or None when absent or expired."""
        return self._live_entries().filter(key=key).values_list("value", flat=True).first()

    def set(self, key, value, ttl_seconds=None):
        """Store a JSON-able ``value``; it reads as absent ``ttl_seconds`` from now."""
        fields = {"value": value, "expires_at": self._expiry(ttl_seconds)}
        if not self._update(key, **fields) and not self._insert(key, **fields):
            self._update(key, **fields)  # another process created it just now; ours is the later write

    def delete(self, key):
        """Forget ``key`` (no error when it is absent)."""
        self._entries().filter(key=key).delete()

    def incr(self, key, amount=1, ttl_seconds=None):
        """Add ``amount`` to the integer under ``key`` atomically and return the new value.

        An absent or expired counter starts from 0; ``ttl_seconds`` applies when it starts,
        later increments keep its expiry (as ``INCRBY`` + ``EXPIRE NX`` do in Redis).
        """
        while True:
            row = self._entries().filter(key=key).values_list("value", "version", "expires_at").first()
            if row is None:
                if self._insert(key, value=amount, expires_at=self._expiry(ttl_seconds)):
                    return amount
                continue
            value, version, expires_at = row
            if expires_at is not None and expires_at <= self._now():
                value, expires_at = 0, self._expiry(ttl_seconds)
            total = int(value or 0) + amount
            if self._compare_and_set(key, version, value=total, expires_at=expires_at):
                return total

    # --- rate limiting -------------------------------------------------------------------
    def acquire_rate(self, bucket, limit, period_seconds, permit=None, hold_seconds=None):
        """Take one permit of ``limit`` per sliding ``period_seconds``, shared by all processes.

        Returns 0.0 when a permit was taken, otherwise the seconds to wait before asking
        again. The bucket keeps the grant times of the last window (a sliding-window log), so
        no window of ``period_seconds`` ever holds more than ``limit`` grants.

        With a ``permit`` name and ``hold_seconds``, the permit is a call in flight: it holds
        its place until ``finish_rate_call`` dates it at the moment the answer came, and only
        then starts its ``period_seconds``; a holder that never comes back frees it after
        ``hold_seconds``. So however late a call reaches the server, it counts in every window
        the server can count it in.
        """
        if limit < 1:
            raise ValueError(f"rate limit of bucket {bucket!r} must be at least 1, not {limit}")

        def grant(now, done, flying):
            if len(done) + len(flying) >= limit:
                return _wait_for_a_place(now, period_seconds, done, flying)
            if permit is not None and hold_seconds is not None:
                flying[permit] = [now, now + hold_seconds]
            else:
                done.append(now)
            return None

        return self._change_rate_log(bucket, period_seconds, grant) or 0.0

    def finish_rate_call(self, bucket, permit, period_seconds):
        """The call of ``permit`` got its answer: it now counts from this moment on."""

        def answered(now, done, flying):
            flying.pop(permit, None)
            done.append(now)  # even a call that outlived its hold did happen

        self._change_rate_log(bucket, period_seconds, answered)

    def _change_rate_log(self, bucket, period_seconds, change):
        """Apply ``change(now, done, flying)`` to a bucket's log by compare-and-set.

        ``change`` sees the log as of ``now`` (grants older than the period and holds past
        their end dropped) and edits it in place; it returns None to store the edit, or any
        other value to leave the log as it was and have that value returned. A lost race
        reads the log again, so the change lands on what another process wrote.
        """
        key = RATE_PREFIX + bucket
        while True:
            version, done, flying = self._rate_log(key)
            now = _later_of(self.clock(), done, flying)
            done = [at for at in done if at > now - period_seconds]
            flying = {name: held for name, held in flying.items() if held[1] > now}
            refused = change(now, done, flying)
            if refused is not None:
                return refused
            if self._store_rate_log(key, version, done, flying):
                return None

    def _rate_log(self, key):
        """(version, settled grant times, {permit: [granted at, held until]}) of a bucket."""
        row = self._entries().filter(key=key).values_list("value", "version").first()
        if row is None:
            return None, [], {}
        value = row[0]
        if isinstance(value, list):  # stored before calls in flight were kept apart
            return row[1], value, {}
        return row[1], list(value.get("done") or []), dict(value.get("flying") or {})

    def _store_rate_log(self, key, version, done, flying):
        value = {"done": done, "flying": flying}
        if version is None:
            return self._insert(key, value=value)
        return self._compare_and_set(key, version, value=value)

    # --- call counters -------------------------------------------------------------------
    def count_call(self, scope, operation, amount=1):
        """Add ``amount`` calls of ``operation`` to today's counter of ``scope``."""
        counters = ApiCallCounter.objects.using(self.using)
        identity = {"scope": scope, "day": self.today(), "operation": operation}
        counter = counters.filter(**identity)
        if counter.update(count=F("count") + amount):
            return
        try:
            with transaction.atomic(using=self.using):
                counters.create(count=amount, **identity)
        except IntegrityError:
            counter.update(count=F("count") + amount)

    def call_counts(self, scope, day=None):
        """``{operation: calls}`` of ``scope`` on ``day`` (default: today in ``TIME_ZONE``)."""
        counters = ApiCallCounter.objects.using(self.using).filter(scope=scope, day=day or self.today())
        return dict(counters.values_list("operation", "count"))

    # --- locks ---------------------------------------------------------------------------
    def _try_lock(self, key, token, ttl_seconds):
        key = LOCK_PREFIX + key
        now = self._now()
        claim = {"owner": token, "expires_at": self._expiry(ttl_seconds)}
        free = Q(owner="") | Q(expires_at__lte=now)
        if self._entries().filter(free, key=key).update(version=F("version") + 1, **claim):
            return True
        return not self._entries().filter(key=key).exists() and self._insert(key, **claim)

    def _release_lock(self, key, token):
        # The row stays, so the next holder claims it with one UPDATE instead of an INSERT.
        released = self._entries().filter(key=LOCK_PREFIX + key, owner=token)
        return bool(released.update(owner="", expires_at=None, version=F("version") + 1))

    # --- storage primitives --------------------------------------------------------------
    def _entries(self):
        return SharedStateEntry.objects.using(self.using)

    def _live_entries(self):
        return self._entries().filter(Q(expires_at__isnull=True) | Q(expires_at__gt=self._now()))

    def _now(self):
        return datetime.fromtimestamp(self.clock(), tz=UTC)

    def _expiry(self, ttl_seconds):
        if ttl_seconds is None:
            return None
        return datetime.fromtimestamp(self.clock() + ttl_seconds, tz=UTC)

    def _update(self, key, **fields):
        return self._entries().filter(key=key).update(version=F("version") + 1, **fields)

    def _compare_and_set(self, key, version, **fields):
        """Write only if nobody wrote since ``version`` was read; True for the one winner."""
        return self._entries().filter(key=key, version=version).update(version=version + 1, **fields) == 1

    def _insert(self, key, **fields):
        """Create the entry; False when another process created it first."""
        try:
            with transaction.atomic(using=self.using):
                self._entries().create(key=key, **fields)
        except IntegrityError:
            return False
        return True


def _later_of(clock_now, done, flying):
    """Now, never before a time already handed out (another host's clock may run ahead)."""
    return max([clock_now, *done[-1:], *(held[0] for held in flying.values())])


def _wait_for_a_place(now, period_seconds, done, flying):
    """Seconds until the first place in a full bucket can free: a settled grant leaving the
    window, or a call in flight reaching the end of its hold (one answered now still counts
    for a whole period)."""
    frees_at = [at + period_seconds for at in done[:1]]
    frees_at += [min(held[1], now + period_seconds) for held in flying.values()]
    return max(min(frees_at) - now, MIN_WAIT_SECONDS)
