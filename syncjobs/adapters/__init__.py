"""One adapter per connected system, all speaking the protocol in ``syncjobs.adapters.base``.

``syncjobs.adapters.clients`` builds a connector's client and adapter.
"""
