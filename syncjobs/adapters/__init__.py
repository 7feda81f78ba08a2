"""One adapter per connected system, all speaking the protocol in ``syncjobs.adapters.base``.

``adapter_for`` is the one way to get an adapter; ``adapters_from`` lets a test put
in-memory systems behind it for a while, so every caller gets the test's adapters.
"""

from contextlib import contextmanager

_factory = None


def adapter_for(connector, **client_options):
    """The adapter for ``connector`` over a client built from its configuration.

    ``client_options`` go to the client (``state``, ``retry_policy``), e.g. a retry policy
    with an injected sleep in tests. Inside ``adapters_from`` the installed factory decides.
    """
    if _factory is not None:
        return _factory(connector)
    # Imported here so that ``syncjobs.adapters.base`` stays importable without the app registry.
    from syncjobs.models import System
    from syncjobs.services.connections import build_client

    client = build_client(connector, **client_options)
    if connector.system == System.K3CLOUD:
        from syncjobs.adapters.k3cloud import K3CloudAdapter

        return K3CloudAdapter(client)
    from syncjobs.adapters.fxiaoke import FxiaokeAdapter

    return FxiaokeAdapter(client)


@contextmanager
def adapters_from(factory):
    """Use ``factory(connector)`` for adapters inside the block (in-memory systems in tests)."""
    global _factory
    previous, _factory = _factory, factory
    try:
        yield
    finally:
        _factory = previous
