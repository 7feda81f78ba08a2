"""A client never has more calls in flight than its ``max_concurrency``."""

import threading
from contextlib import contextmanager
from datetime import datetime, timedelta

from connectors.k3cloud import K3CloudClient, K3CloudConfig


class ThreadSafeState:
    """The shared-state calls the client makes, for threads of one process.

    The database backend cannot be shared by threads inside a test's transaction, and this
    test is about the HTTP concurrency cap, not about the state.
    """

    def __init__(self):
        self.values = {}
        self.guard = threading.RLock()

    def get(self, key):
        return self.values.get(key)

    def set(self, key, value, ttl_seconds=None):
        self.values[key] = value

    def delete(self, key):
        self.values.pop(key, None)

    @contextmanager
    def lock(self, key, ttl_seconds=30, wait_seconds=30):
        with self.guard:
            yield

    def count_call(self, scope, operation, amount=1):
        pass


def most_at_once(calls, slack=timedelta(milliseconds=20)):
    """The largest number of calls the server was handling at the same moment."""
    spans = []
    for call in calls:
        end = datetime.fromisoformat(call["at"])
        spans.append((end - timedelta(milliseconds=call["elapsed_ms"]) + slack, end - slack))
    return max(sum(1 for start, end in spans if start <= moment < end) for moment, _ in spans)


def test_calls_beyond_the_cap_wait_for_a_free_slot(erp, sandbox, call_log):
    config = K3CloudConfig(
        server_url=erp["server_url"],
        acct_id=erp["acct_id"],
        username=erp["username"],
        password=erp["password"],
        auth_mode="password",
        max_concurrency=2,
    )
    client = K3CloudClient(config, state=ThreadSafeState())
    client.login()
    sandbox.set_faults("k3cloud", latency_ms=300, operations=["ExecuteBillQuery"])
    results = []

    def read():
        results.append([r["FNumber"] for r in client.query("BD_Customer", "FNumber", order_string="FNumber")])

    threads = [threading.Thread(target=read) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    queries = call_log("ExecuteBillQuery")
    assert len(results) == len(queries) == 6
    assert all(numbers == results[0] for numbers in results)
    assert most_at_once(queries) == 2
    client.close()
