"""One adapter per connected system, all speaking the protocol in ``syncjobs.adapters.base``."""


def adapter_for(connector, **client_options):
    """The adapter for ``connector`` over a client built from its configuration.

    ``client_options`` go to the client (``state``, ``retry_policy``), e.g. a retry policy
    with an injected sleep in tests.
    """
    # Imported here so that ``syncjobs.adapters.base`` stays importable without the app registry.
    from syncjobs.models import System
    from syncjobs.services.connections import build_client

    client = build_client(connector, **client_options)
    if connector.system == System.K3CLOUD:
        from syncjobs.adapters.k3cloud import K3CloudAdapter

        return K3CloudAdapter(client)
    from syncjobs.adapters.fxiaoke import FxiaokeAdapter

    return FxiaokeAdapter(client)
