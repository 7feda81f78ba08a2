"""The connector's one login session, kept in the shared state for every worker process.

All workers of a connector present the same session. When it is lost, exactly one process
logs in again (under a shared lock); the others wait for that lock, see that the stored
session changed, and use the new one instead of logging in themselves.
"""

import hashlib

# K3Cloud sessions expire after 20 minutes without use. Forgetting ours on the same schedule
# means a connector idle that long logs in afresh instead of first hitting "session lost";
# under steady use it costs one extra login per 20 minutes.
SESSION_TTL_SECONDS = 20 * 60


class SharedSession:
    """Get, renew and forget the session stored under a key derived from the config.

    The key includes the server, account set, user and auth mode, so editing a connector's
    credentials never hands the old account's session to the new settings.
    """

    def __init__(self, state, config, timeout):
        self.state = state
        fingerprint = "|".join([config.server_url, config.acct_id, config.username, config.auth_mode])
        digest = hashlib.sha256(fingerprint.encode("utf-8")).hexdigest()[:16]
        self.key = f"k3cloud:session:{config.connector_key}:{digest}"
        # A login holds the lock for at most one HTTP call of ``timeout`` seconds.
        self.lock_ttl = timeout + 30
        self.lock_wait = timeout + 30

    def current(self):
        """The stored session ``{"sid", "cookies"}``, or None."""
        return self.state.get(self.key)

    def renew(self, login, stale=None):
        """A session other than ``stale``: someone else's fresh one, or ``login()``'s.

        ``login()`` returns the new session dict; it runs under the shared lock.
        """
        with self.state.lock(self.key, ttl_seconds=self.lock_ttl, wait_seconds=self.lock_wait):
            stored = self.current()
            if stored and _sid(stored) != _sid(stale):
                return stored
            session = login()
            self.store(session)
            return session

    def store(self, session):
        self.state.set(self.key, session, ttl_seconds=SESSION_TTL_SECONDS)

    def forget(self, stale=None):
        """Drop the stored session (only while it is still ``stale``, when given)."""
        with self.state.lock(self.key, ttl_seconds=self.lock_ttl, wait_seconds=self.lock_wait):
            if stale is None or _sid(self.current()) == _sid(stale):
                self.state.delete(self.key)

    def capture(self, sid, cookies, sent=None):
        """Keep a session the server opened on its own (signed-header mode) if it is new."""
        if sid and sid != _sid(sent):
            self.store({"sid": sid, "cookies": cookies})


def _sid(session):
    return (session or {}).get("sid")
