"""Clients built from connectors, and the "Test connection" check."""

from django.utils.translation import gettext_lazy as _
from django.views.decorators.debug import sensitive_variables

from connectors.checks import ConnectionCheck
from connectors.errors import ConnectorError
from syncjobs.crypto import CredentialDecryptionError
from syncjobs.models import System


@sensitive_variables("config")
def build_client(connector, **options):
    """The API client for ``connector`` (``K3CloudClient`` or ``FxiaokeClient``), sharing connector state.

    ``options`` go to the client's constructor (``state``, ``retry_policy``).
    """
    config = connector.client_config()
    if connector.system == System.K3CLOUD:
        from connectors.k3cloud import K3CloudClient

        return K3CloudClient(config, **options)
    from connectors.fxiaoke import FxiaokeClient

    return FxiaokeClient(config, **options)


def test_connection(connector):
    """Sign in to ``connector``'s system and report the outcome as a ``ConnectionCheck``.

    Failures the administrator can act on (wrong credentials, unreachable server, a key
    that no longer decrypts the stored secrets) come back as ``ok=False`` with a sentence
    saying what went wrong; they are never raised.
    """
    try:
        return build_client(connector).test_connection()
    except CredentialDecryptionError as exc:
        return ConnectionCheck(ok=False, message=str(exc), details={"error": "decryption"})
    except ConnectorError as exc:
        message = _("The connection test of %(name)s failed: %(error)s") % {
            "name": connector.name,
            "error": exc.message,
        }
        return ConnectionCheck(ok=False, message=message, details={"error": exc.code or type(exc).__name__})


# pytest would collect a module-level "test_*" function imported into a test module.
test_connection.__test__ = False
