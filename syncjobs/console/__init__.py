"""The records and mappings console: pages inside the admin for the people who keep data clean.

Failed records (re-run in bulk, replay an edited payload, resolve or ignore), a record's
timeline, mapping versions side by side, and a mapping editor with pickers and a preview.
Views only check permissions and delegate: reads to ``syncjobs.queries``, writes to
``syncjobs.services``.
"""
