"""One worker OS process of the shared-session test.

Run as ``python -m tests.connectors.k3cloud.worker SPEC_JSON`` with the environment of
``tests.support.sandbox.server_environment`` (its own database, where the shared state
lives). It builds a client and, for each of the spec's rounds, says it is ready, waits for
that round's start signal (so all workers call at once) and runs one small query. The
numbers read in each round go to ``spec["out"]``.
"""

import json
import os
import sys
import time
from pathlib import Path


def wait_for(path):
    while not Path(path).exists():
        time.sleep(0.005)


def main(spec):
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "integration_hub.settings")
    django.setup()
    from connectors.k3cloud import K3CloudClient, K3CloudConfig
    from connectors.retrying import RetryPolicy

    policy = RetryPolicy(max_attempts=3, base_seconds=0.05, cap_seconds=0.2)
    client = K3CloudClient(K3CloudConfig(**spec["config"]), retry_policy=policy)
    seen = []
    for ready, go in spec["rounds"]:
        Path(ready).touch()
        wait_for(go)
        rows = client.query("BD_Customer", ["FNumber"], order_string="FNumber ASC", max_rows=2)
        seen.append([row["FNumber"] for row in rows])
    Path(spec["out"]).write_text(json.dumps(seen))


if __name__ == "__main__":
    main(json.loads(sys.argv[1]))
