"""Shared connector state in Redis, for running at scale: every operation is one atomic
command or Lua script, so any number of processes on any number of machines agree.

Values are stored as JSON strings under ``prefix + key``. Locks are ``SET NX PX`` with a
random owner token and a compare-and-delete release; rate buckets are sorted sets of grant
times trimmed to the sliding window inside one script, timed by the Redis server's clock so
workers on different machines share one time line. Needs Redis 5 or later.
"""

import json
import time
import uuid

import redis

from connectors.state.base import LOCK_PREFIX, RATE_PREFIX, SharedState

DEFAULT_PREFIX = "integration_hub:state:"
# Daily call counters are kept this long, then Redis drops them.
CALL_COUNTER_TTL_SECONDS = 400 * 24 * 3600

INCR_SCRIPT = """
local total = redis.call('INCRBY', KEYS[1], ARGV[1])
if ARGV[2] ~= '' and redis.call('PTTL', KEYS[1]) == -1 then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return total
"""

RELEASE_SCRIPT = """
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
"""

# Lua: the moment a grant is dated: the given clock (tests) or the server's, never before the
# newest settled grant (KEYS[1]), so grant times never go backwards.
RATE_NOW = """
local function rate_now(given)
  local now
  if given ~= '' then
    now = tonumber(given)
  else
    local t = redis.call('TIME')
    now = tonumber(t[1]) + tonumber(t[2]) / 1000000
  end
  local newest = redis.call('ZRANGE', KEYS[1], -1, -1, 'WITHSCORES')
  if newest[2] and tonumber(newest[2]) > now then
    now = tonumber(newest[2])
  end
  return now
end
"""

# KEYS: the settled grants (scored by the time they count from), the calls in flight
# (scored by the end of their hold). ARGV: limit, period (s), member, now (s; '' = the
# server's clock), hold (s; '' = settled at once). Returns '0' when a permit was taken, else
# the seconds to wait, as a string (Lua would truncate a returned number to an integer).
ACQUIRE_RATE_SCRIPT = (
    RATE_NOW
    + """
local limit, period = tonumber(ARGV[1]), tonumber(ARGV[2])
local now = rate_now(ARGV[4])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - period)
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)
if redis.call('ZCARD', KEYS[1]) + redis.call('ZCARD', KEYS[2]) >= limit then
  local wait = period
  local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  if oldest[2] then wait = math.min(wait, tonumber(oldest[2]) + period - now) end
  local soonest = redis.call('ZRANGE', KEYS[2], 0, 0, 'WITHSCORES')
  if soonest[2] then wait = math.min(wait, tonumber(soonest[2]) - now) end
  return tostring(math.max(wait, 0.001))
end
if ARGV[5] == '' then
  redis.call('ZADD', KEYS[1], now, ARGV[3])
  redis.call('PEXPIRE', KEYS[1], math.ceil(period * 1000) + 1000)
else
  local hold = tonumber(ARGV[5])
  redis.call('ZADD', KEYS[2], now + hold, ARGV[3])
  redis.call('PEXPIRE', KEYS[2], math.ceil(hold * 1000) + 1000)
end
return '0'
"""
)

# KEYS as above. ARGV: period (s), member, now (s; '' = the server's clock). The call of
# ``member`` was answered: it leaves the calls in flight and counts from now on.
FINISH_RATE_CALL_SCRIPT = (
    RATE_NOW
    + """
local period = tonumber(ARGV[1])
local now = rate_now(ARGV[3])
redis.call('ZREM', KEYS[2], ARGV[2])
redis.call('ZADD', KEYS[1], now, ARGV[2])
redis.call('PEXPIRE', KEYS[1], math.ceil(period * 1000) + 1000)
return 1
"""
)


class RedisState(SharedState):
    """Shared state in the Redis database at ``url``, every key under ``prefix``.

    ``clock`` (seconds since the epoch) is for tests: when given, it also dates rate-limit
    grants instead of the Redis server's clock. Expiry always runs on Redis's own clock.
    """

    def __init__(self, url, prefix=DEFAULT_PREFIX, clock=None):
        super().__init__(clock or time.time)
        self.rate_clock = clock
        self.prefix = prefix
        self.redis = redis.Redis.from_url(url, decode_responses=True)
        self._incr = self.redis.register_script(INCR_SCRIPT)
        self._release = self.redis.register_script(RELEASE_SCRIPT)
        self._acquire_rate = self.redis.register_script(ACQUIRE_RATE_SCRIPT)
        self._finish_rate_call = self.redis.register_script(FINISH_RATE_CALL_SCRIPT)

    # --- values --------------------------------------------------------------------------
    def get(self, key):
        """The value stored under ``key``, or None when absent or expired."""
        raw = self.redis.get(self.prefix + key)
        return None if raw is None else json.loads(raw)

    def set(self, key, value, ttl_seconds=None):
        """Store a JSON-able ``value``; it reads as absent ``ttl_seconds`` from now."""
        self.redis.set(self.prefix + key, json.dumps(value), px=_milliseconds(ttl_seconds))

    def delete(self, key):
        """Forget ``key`` (no error when it is absent)."""
        self.redis.delete(self.prefix + key)

    def incr(self, key, amount=1, ttl_seconds=None):
        """Add ``amount`` to the integer under ``key`` atomically and return the new value.

        ``ttl_seconds`` applies when the counter starts; later increments keep its expiry.
        """
        expiry = _milliseconds(ttl_seconds) or ""
        return int(self._incr(keys=[self.prefix + key], args=[amount, expiry]))

    # --- rate limiting -------------------------------------------------------------------
    def acquire_rate(self, bucket, limit, period_seconds, permit=None, hold_seconds=None):
        """Take one permit of ``limit`` per sliding ``period_seconds``, shared by all processes.

        Returns 0.0 when a permit was taken, otherwise the seconds to wait before asking again.
        With a ``permit`` name and ``hold_seconds`` the permit is a call in flight until
        ``finish_rate_call`` (see ``DatabaseState.acquire_rate``).
        """
        if limit < 1:
            raise ValueError(f"rate limit of bucket {bucket!r} must be at least 1, not {limit}")
        held = permit is not None and hold_seconds is not None
        args = [
            limit,
            repr(float(period_seconds)),
            permit if held else uuid.uuid4().hex,
            self._rate_now(),
            repr(float(hold_seconds)) if held else "",
        ]
        return float(self._acquire_rate(keys=self._rate_keys(bucket), args=args))

    def finish_rate_call(self, bucket, permit, period_seconds):
        """The call of ``permit`` got its answer: it now counts from this moment on."""
        args = [repr(float(period_seconds)), permit, self._rate_now()]
        self._finish_rate_call(keys=self._rate_keys(bucket), args=args)

    def _rate_keys(self, bucket):
        key = self.prefix + RATE_PREFIX + bucket
        return [key, key + ":flying"]

    def _rate_now(self):
        return "" if self.rate_clock is None else repr(float(self.rate_clock()))

    # --- call counters -------------------------------------------------------------------
    def count_call(self, scope, operation, amount=1):
        """Add ``amount`` calls of ``operation`` to today's counter of ``scope``."""
        key = self._counter_key(scope, self.today())
        with self.redis.pipeline(transaction=True) as pipe:
            pipe.hincrby(key, operation, amount)
            pipe.expire(key, CALL_COUNTER_TTL_SECONDS)
            pipe.execute()

    def call_counts(self, scope, day=None):
        """``{operation: calls}`` of ``scope`` on ``day`` (default: today in ``TIME_ZONE``)."""
        counts = self.redis.hgetall(self._counter_key(scope, day or self.today()))
        return {operation: int(count) for operation, count in counts.items()}

    def _counter_key(self, scope, day):
        return f"{self.prefix}~calls:{scope}:{day.isoformat()}"

    # --- locks ---------------------------------------------------------------------------
    def _try_lock(self, key, token, ttl_seconds):
        return bool(
            self.redis.set(self.prefix + LOCK_PREFIX + key, token, nx=True, px=_milliseconds(ttl_seconds))
        )

    def _release_lock(self, key, token):
        return bool(self._release(keys=[self.prefix + LOCK_PREFIX + key], args=[token]))


def _milliseconds(seconds):
    """Redis expiry in whole milliseconds (at least 1), or None for "never"."""
    if seconds is None:
        return None
    return max(1, round(seconds * 1000))
