"""Credential encryption at rest: Fernet tokens under the keys in ``FIELD_ENCRYPTION_KEYS``.

The first key encrypts; every key decrypts (``MultiFernet``), so a new key can be put in front
of the old one and ``rotate_credential_keys`` re-encrypts the rows at leisure. A token that no
configured key opens raises :class:`CredentialDecryptionError`: returning the ciphertext (as some
libraries do) would send garbage to the external system and hide a lost key.
"""

from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _


class CredentialDecryptionError(Exception):
    """A stored credential cannot be decrypted with any configured key."""


def encrypt(plaintext):
    """Return the Fernet token (text) for ``plaintext``, made with the first key."""
    return _multi_fernet(_keys()).encrypt(plaintext.encode()).decode()


def decrypt(token):
    """Return the plaintext of ``token``; raise ``CredentialDecryptionError`` if no key opens it."""
    try:
        return _multi_fernet(_keys()).decrypt(token.encode()).decode()
    except InvalidToken as exc:
        raise CredentialDecryptionError(
            _(
                "A stored credential cannot be decrypted with INTEGRATION_HUB_FIELD_ENCRYPTION_KEYS. "
                "Add the key it was encrypted with (after the current one), then run "
                "rotate_credential_keys."
            )
        ) from exc


def rotate(token):
    """Return ``token`` re-encrypted with the first key (it may have been made with any key)."""
    try:
        return _multi_fernet(_keys()).rotate(token.encode()).decode()
    except InvalidToken as exc:
        raise CredentialDecryptionError(
            _("A stored credential cannot be re-encrypted: no configured key decrypts it.")
        ) from exc


def _keys():
    keys = tuple(settings.FIELD_ENCRYPTION_KEYS)
    if not keys:
        raise ImproperlyConfigured(_("INTEGRATION_HUB_FIELD_ENCRYPTION_KEYS is empty."))
    return keys


@lru_cache(maxsize=8)
def _multi_fernet(keys):
    # Cached per key tuple: settings overridden in tests get their own instance.
    try:
        return MultiFernet([Fernet(key) for key in keys])
    except (ValueError, TypeError) as exc:
        raise ImproperlyConfigured(
            _("INTEGRATION_HUB_FIELD_ENCRYPTION_KEYS holds a value that is not a Fernet key.")
        ) from exc


@checks.register(checks.Tags.security)
def check_encryption_keys(app_configs=None, **kwargs):
    """``manage.py check`` (and every command that runs checks) refuses keys Fernet cannot use.

    Otherwise a mistyped key went unnoticed until the first sync tried to decrypt a credential.
    """
    try:
        _multi_fernet(_keys())
    except ImproperlyConfigured as exc:
        return [
            checks.Error(
                str(exc),
                hint=_(
                    "Each key is 44 characters of URL-safe base64; make one with "
                    "`python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())'`."
                ),
                id="syncjobs.E101",
            )
        ]
    return []
