"""One worker OS process of the shared-token test.

Run as ``python -m tests.connectors.fxiaoke.worker SPEC_JSON`` with the environment of
``tests.support.sandbox.server_environment`` (a hub database file the workers share). It
builds a client on the shared state, says it is ready, and at each signal of ``spec["phases"]``
does that phase's action (one CRM call, or reading the shared call counters); after each it
touches that phase's done file. What it saw goes to ``spec["out"]``.
"""

import json
import os
import sys
import time
from pathlib import Path


def wait_for(path, timeout=60):
    deadline = time.monotonic() + timeout
    while not Path(path).exists():
        if time.monotonic() > deadline:
            raise TimeoutError(f"no signal at {path}")
        time.sleep(0.005)


def main(spec):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "integration_hub.settings")
    import django

    django.setup()
    from connectors.fxiaoke import FxiaokeClient, FxiaokeConfig

    client = FxiaokeClient(FxiaokeConfig(**spec["config"]))
    actions = {"list": lambda: len(client.list_objects()), "counts": client.call_counts}
    Path(spec["ready"]).touch()
    seen = []
    for phase in spec["phases"]:
        wait_for(phase["go"])
        seen.append(actions[phase["action"]]())
        Path(phase["done"]).touch()
    Path(spec["out"]).write_text(json.dumps(seen))


if __name__ == "__main__":
    main(json.loads(sys.argv[1]))
