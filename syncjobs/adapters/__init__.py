"""One adapter per connected system, all speaking the protocol in ``syncjobs.adapters.base``.

They are built from a connector by ``syncjobs.adapters.clients.adapter_for``.
"""
