"""The "Test connection" check of a connector."""

from django.utils.translation import gettext_lazy as _

from connectors.checks import ConnectionCheck
from connectors.errors import ConnectorError
from syncjobs.adapters.clients import build_client
from syncjobs.crypto import CredentialDecryptionError


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
