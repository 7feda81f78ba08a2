"""One worker OS process of the multi-process tests.

Run as ``python -m tests.connectors.state.worker SPEC_JSON`` with the environment of
``tests.support.sandbox.server_environment`` (its own database files). It sets Django up,
prepares its tasks, says it is ready, waits for the common start signal so all workers
contend at once, runs ``spec["tasks"]`` (name → parameters) in order against the shared
state, waits for the other workers to finish, reads ``spec["final_keys"]`` and writes what
it observed to ``spec["out"]`` as JSON.
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


def breaker_for(state, spec):
    from connectors.breaker import CircuitBreaker

    return CircuitBreaker(spec["breaker"], state=state, fail_max=1, reset_timeout=spec["reset_timeout"])


def open_breaker(state, spec):
    """Before the start signal: open the shared breaker (every worker tries; one opens it)."""
    breaker_for(state, spec).record_failure()


def probe_breaker(state, spec):
    """Call a remote that stays down until ``probes`` calls got through (each one a probe)."""
    from connectors.errors import CircuitOpenError, TransientError

    breaker = breaker_for(state, spec)
    probes = []

    def remote():
        started = time.time()
        state.incr(spec["probe_count"])
        time.sleep(spec["probe_seconds"])
        probes.append([started, time.time()])
        raise TransientError("the remote system is still down")

    deadline = time.monotonic() + 30
    while (state.get(spec["probe_count"]) or 0) < spec["probes"] and time.monotonic() < deadline:
        try:
            breaker.call(remote)
        except CircuitOpenError:
            time.sleep(0.01)
        except TransientError:
            pass
    return {"probes": probes}


TASKS = {"count_and_lock": count_and_lock, "take_permits": take_permits, "probe_breaker": probe_breaker}
PREPARE = {"probe_breaker": open_breaker}


def wait_for(path, timeout=60):
    deadline = time.monotonic() + timeout
    while not path.exists():
        if time.monotonic() > deadline:
            raise TimeoutError(f"no start signal at {path}")
        time.sleep(0.005)


def wait_for_all(folder, pattern, count, timeout=120):
    deadline = time.monotonic() + timeout
    while len(list(folder.glob(pattern))) < count:
        if time.monotonic() > deadline:
            raise TimeoutError(f"only {len(list(folder.glob(pattern)))} of {count} workers finished")
        time.sleep(0.01)


def main(spec):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "integration_hub.settings")
    import django

    django.setup()
    state = build_state(spec)
    tasks = spec["tasks"]
    for name, params in tasks.items():
        if name in PREPARE:
            PREPARE[name](state, params)
    Path(spec["ready"]).touch()
    wait_for(Path(spec["go"]))
    results = {name: TASKS[name](state, params) for name, params in tasks.items()}
    # Once every worker is done, each reads the final values, as any later process would.
    Path(spec["done"]).touch()
    wait_for_all(Path(spec["done"]).parent, "*.done", spec["workers"])
    results["final_values"] = [state.get(key) for key in spec["final_keys"]]
    Path(spec["out"]).write_text(json.dumps(results))


if __name__ == "__main__":
    main(json.loads(sys.argv[1]))
