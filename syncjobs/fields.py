"""Model fields that keep secrets out of the database and stored payloads in clear."""

import re

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models.query_utils import DeferredAttribute

from connectors.redaction import redact_data, redact_text
from syncjobs import crypto


class Ciphertext(str):
    """A Fernet token as read from the database; decrypted only when the attribute is read."""


class _DecryptOnRead(DeferredAttribute):
    # Decrypting lazily lets lists and "is it set?" checks work without touching the keys,
    # while any real use of the secret still raises on a wrong key. A data descriptor
    # (it has __set__), so reads come here even though the value sits in __dict__.
    def __set__(self, instance, value):
        instance.__dict__[self.field.attname] = value

    def __get__(self, instance, cls=None):
        value = super().__get__(instance, cls)
        if isinstance(value, Ciphertext):
            value = crypto.decrypt(value)
            instance.__dict__[self.field.attname] = value
        return value


class EncryptedTextField(models.TextField):
    """A text field stored as a Fernet token; reading it decrypts and raises on a wrong key.

    The empty string means "not set" and is stored as is. Tokens are randomised, so the
    column can't be filtered on its value; only emptiness is meaningful. Forms and
    serializers get an empty value (``value_from_object``): a secret never leaves the model
    except to the client that uses it.
    """

    descriptor_class = _DecryptOnRead

    def from_db_value(self, value, expression, connection):
        return Ciphertext(value) if value else value

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if not value or isinstance(value, Ciphertext):
            return value
        return crypto.encrypt(value)

    def value_from_object(self, obj):
        return ""


# PostgreSQL's jsonb cannot hold U+0000 ("unsupported Unicode escape sequence"), and a CRM
# record may carry one: the whole batch holding it would fail to store. Strings are stored
# with NUL written as ESCAPE + "0" (and ESCAPE itself as ESCAPE + "e"), on every database
# alike, and read back unchanged, so the engine still sees the NUL and fails that record alone.
ESCAPE = "\ue000"  # a private-use character
_ESCAPED = re.compile(ESCAPE + "([0e])")


def escape_nul(value):
    """``value`` with every NUL in its strings (keys included) escaped for storage."""
    if isinstance(value, str):
        if "\x00" in value or ESCAPE in value:
            return value.replace(ESCAPE, ESCAPE + "e").replace("\x00", ESCAPE + "0")
        return value
    if isinstance(value, dict):
        return {escape_nul(key): escape_nul(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [escape_nul(item) for item in value]
    return value


def unescape_nul(value):
    """The inverse of ``escape_nul``."""
    if isinstance(value, str):
        if ESCAPE in value:
            return _ESCAPED.sub(lambda m: "\x00" if m.group(1) == "0" else ESCAPE, value)
        return value
    if isinstance(value, dict):
        return {unescape_nul(key): unescape_nul(item) for key, item in value.items()}
    if isinstance(value, list):
        return [unescape_nul(item) for item in value]
    return value


class RemoteJSONField(models.JSONField):
    """JSON that came from a remote system: any text it holds, NUL included, is stored."""

    def get_prep_value(self, value):
        return super().get_prep_value(escape_nul(value))

    def from_db_value(self, value, expression, connection):
        return unescape_nul(super().from_db_value(value, expression, connection))


class RedactedJSONField(RemoteJSONField):
    """JSON whose secret-looking keys and values are redacted on their way to the database.

    Redacting in ``get_prep_value`` also covers ``bulk_create`` and ``update``, which skip
    ``Model.save``. Decimals and dates are written as text (``DjangoJSONEncoder``).
    """

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("encoder", DjangoJSONEncoder)
        super().__init__(*args, **kwargs)

    def get_prep_value(self, value):
        return super().get_prep_value(redact_data(value))


class RedactedTextField(models.TextField):
    """Text (error messages, response excerpts) with secret values redacted before storing."""

    def get_prep_value(self, value):
        return redact_text(super().get_prep_value(value))
