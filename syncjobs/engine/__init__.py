"""The sync engine: reads changed source records, maps them, writes the target idempotently.

Small modules, one job each: ``reader`` (incremental pulls into batches), ``planner``
(create / update / unchanged decisions), ``writer`` (batched writes, settling lost answers),
``postactions``, ``dependencies``, ``outcomes`` (record logs), ``runs`` (lease, batches,
heartbeats, watermark), ``dryrun``, ``writeback`` and ``reconcile``. The services in
``syncjobs.services.sync`` are the entry points; nothing here is called from views directly.
"""
