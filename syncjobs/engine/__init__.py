"""The sync engine: reads changed source records, maps them, writes the target idempotently.

One run of one flow, a module per step (``docs/architecture.md`` draws it in full)::

    trigger        services.sync.start_run (schedule task, CRM push)
      ══ queue: tasks.execute_run ══
    run            runner (Runner; process_batch per batch), runs (state changes)
    lease          runs (one per flow; workers' names and liveness too)
    read           reader (+ echoes: our own writes are not read again)
    batches        batches (+ records: stored form, the Item of each record)
      ══ queue: tasks.help_run, one per extra parallel batch ══
    plan           planner (+ xrefs: cross-reference or match keys, payloads, refused_values,
                   dependencies; context: value maps, cross-references, lookups)
    write          writer (+ xrefs)
    post-actions   postactions
    outcomes       outcomes (record logs, counters, waits, write-backs queued)
      ══ queue: tasks.drain_write_backs ══
    write-back     writeback

Beside the line: ``context`` (what a run has at hand), ``options``, ``messages``, ``retry``,
``dispatch`` (the queue, or this process), ``dryrun`` (read and plan, writing nothing) and
``reconcile`` (resumes stalled runs). The services in ``syncjobs.services.sync`` are the entry
points; nothing here is called from views directly.
"""
