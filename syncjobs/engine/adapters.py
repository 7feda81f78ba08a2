"""Which adapter talks to a connector: the real one, or one a test installs for a while."""

from contextlib import contextmanager

from syncjobs.adapters import clients

_factory = None


def adapter_for(connector):
    """The ``SystemAdapter`` for ``connector``."""
    if _factory is not None:
        return _factory(connector)
    return clients.adapter_for(connector)


@contextmanager
def adapters_from(factory):
    """Use ``factory(connector)`` for adapters inside the block (in-memory systems in tests)."""
    global _factory
    previous, _factory = _factory, factory
    try:
        yield
    finally:
        _factory = previous
