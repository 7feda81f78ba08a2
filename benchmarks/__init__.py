"""``manage.py benchmark``: how fast the engine moves a realistic load, measured honestly.

The sandboxes run in their own server process with a latency injected into every call,
and every measured step runs in a fresh process of its own, so the figures separate the
engine's own work (its process CPU time, its peak memory) from the time spent waiting on
the two APIs. Calls are counted from the sandboxes' call log, not by the engine. A package of
its own beside the product's: its naive one-record-at-a-time sync is a yardstick, not a way
the product syncs.

- ``sandbox``: the sandbox server process and its control API;
- ``steps`` (run by ``child``, one fresh process per step): set-up, engine runs, the naive
  one-record-at-a-time integration, edits, the scale-out driver;
- ``measure``: what a step measures about itself; ``report``: the table and the JSON;
- ``suite``: the order of the steps and the targets; ``scaleout``: PostgreSQL, Redis and
  several ``qcluster`` processes.
"""
