"""Clients and adapters built from a connector's configuration.

``adapter_for`` is the one way to get an adapter; ``adapters_from`` lets a test put
in-memory systems behind it for a while, so every caller gets the test's adapters.
"""

from contextlib import contextmanager

from django.views.decorators.debug import sensitive_variables

from connectors.fxiaoke import FxiaokeClient
from connectors.k3cloud import K3CloudClient
from syncjobs.adapters.fxiaoke import FxiaokeAdapter
from syncjobs.adapters.k3cloud import K3CloudAdapter
from syncjobs.models import System

_factory = None


@sensitive_variables("config")
def build_client(connector, **options):
    """The API client for ``connector`` (``K3CloudClient`` or ``FxiaokeClient``), sharing connector state.

    ``options`` go to the client's constructor (``state``, ``retry_policy``).
    """
    config = connector.client_config()
    if connector.system == System.K3CLOUD:
        return K3CloudClient(config, **options)
    return FxiaokeClient(config, **options)


def adapter_for(connector, **client_options):
    """The adapter for ``connector`` over a client built from its configuration.

    ``client_options`` go to the client (``state``, ``retry_policy``), e.g. a retry policy
    with an injected sleep in tests. Inside ``adapters_from`` the installed factory decides.
    """
    if _factory is not None:
        return _factory(connector)
    client = build_client(connector, **client_options)
    if connector.system == System.K3CLOUD:
        return K3CloudAdapter(client)
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
