"""One worker OS process of the multi-process tests.

Run as ``python -m tests.connectors.state.worker SPEC_JSON`` with the environment of
``tests.support.sandbox.server_environment`` (its own database files). It sets Django up,
says it is ready, waits for the common start signal so all workers contend at once, runs its
task against the shared state and writes what it observed to ``spec["out"]`` as JSON.
"""

import json
import os
import sys
import time
from pathlib import Path


def build_state(spec):
    from connectors.state import RedisState, get_state

    if spec["backend"] == "redis":
        return RedisState(spec["redis_url"], prefix=spec["prefix"])
    return get_state()


def count_and_lock(state, spec):
    """Increment the shared counter, then read-modify-write a value under the shared lock."""
    spans = []
    for _ in range(spec["rounds"]):
        state.incr(spec["counter"])
        with state.lock(spec["lock"], ttl_seconds=30, wait_seconds=60):
            entered = time.monotonic()  # system-wide, so spans compare across processes
            guarded = state.get(spec["guarded"]) or 0
            time.sleep(0.001)  # widen the gap a second holder would need to lose an update
            state.set(spec["guarded"], guarded + 1)
            spans.append([entered, time.monotonic()])
    return {"spans": spans}


def take_permits(state, spec):
    """Take ``permits`` permits, waiting as told; record when each grant could have happened."""
    grants = []
    while len(grants) < spec["permits"]:
        before = time.time()
        wait = state.acquire_rate(spec["bucket"], spec["limit"], spec["period"])
        after = time.time()
        if wait == 0.0:
            grants.append([before, after])
        else:
            time.sleep(wait)
    return {"grants": grants}


TASKS = {"count_and_lock": count_and_lock, "take_permits": take_permits}


def wait_for(path, timeout=60):
    deadline = time.monotonic() + timeout
    while not path.exists():
        if time.monotonic() > deadline:
            raise TimeoutError(f"no start signal at {path}")
        time.sleep(0.005)


def main(spec):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "integration_hub.settings")
    import django

    django.setup()
    state = build_state(spec)
    Path(spec["ready"]).touch()
    wait_for(Path(spec["go"]))
    result = TASKS[spec["task"]](state, spec)
    Path(spec["out"]).write_text(json.dumps(result))


if __name__ == "__main__":
    main(json.loads(sys.argv[1]))
