"""The hub's web pages beyond the model admins, with their forms and URL configuration.

Inside the admin: the records and mappings console (``/admin/console/``: failed records
re-run in bulk, replay of an edited payload, a record's timeline, mapping versions side by
side, a mapping editor with pickers and a preview) and the operations pages
(``/admin/operations/``: live progress, run all, pause and resume). Outside it: the CRM's
webhook, ``/metrics`` for Prometheus, the language switch and the 403 page.

Views only check permissions and delegate: reads to ``syncjobs.queries``, writes to
``syncjobs.services`` and ``syncjobs.operations``.
"""
