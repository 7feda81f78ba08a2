"""Credential key rotation: re-encrypt every stored secret with the current first key."""

from django.apps import apps
from django.db import transaction

from syncjobs import crypto
from syncjobs.fields import Ciphertext, EncryptedTextField


def encrypted_fields():
    """``(model, [field names])`` for every model holding an ``EncryptedTextField``."""
    found = []
    for model in apps.get_models():
        names = [
            field.attname for field in model._meta.concrete_fields if isinstance(field, EncryptedTextField)
        ]
        if names:
            found.append((model, names))
    return found


@transaction.atomic
def rotate_credentials():
    """Re-encrypt every non-empty secret with the first of ``FIELD_ENCRYPTION_KEYS``; return the rows done.

    Works on the stored tokens (``MultiFernet.rotate``) without saving models, so no history
    rows or timestamps change. All or nothing: a token no key opens raises and rolls back.
    """
    rotated = 0
    for model, names in encrypted_fields():
        for row in model._base_manager.values("pk", *names).iterator():
            changes = {name: Ciphertext(crypto.rotate(row[name])) for name in names if row[name]}
            if changes:
                model._base_manager.filter(pk=row["pk"]).update(**changes)
                rotated += 1
    return rotated
