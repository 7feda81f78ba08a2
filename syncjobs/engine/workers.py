"""Who is working: a name per worker process, and whether a named worker is still alive."""

import os
import socket
import uuid

_HOST = socket.gethostname()


def new_worker_name():
    """``host:pid:random`` — unique per call, readable in the admin."""
    return f"{_HOST}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def is_dead(worker):
    """True only when ``worker`` ran on this host and its process is gone.

    Lets a restarted command take over at once from a process that was killed, instead
    of waiting for its heartbeat to go stale; workers on other hosts are judged by their
    heartbeat alone.
    """
    host, _, rest = (worker or "").partition(":")
    pid_text = rest.partition(":")[0]
    if host != _HOST or not pid_text.isdigit():
        return False
    pid = int(pid_text)
    if pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return _is_zombie(pid)


def _is_zombie(pid):
    # A killed child not yet reaped by its parent still answers kill(pid, 0).
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] == "Z"
    except (OSError, IndexError):
        return False
