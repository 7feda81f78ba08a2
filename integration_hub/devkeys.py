"""Development keys, generated once per data directory.

A local trial needs a ``SECRET_KEY`` and a credential encryption key but no configuration.
They are created on first run and kept beside the SQLite files, so restarting keeps the
encrypted credentials readable. Production settings never call this.
"""

import hashlib
import json
import os
import secrets

from cryptography.fernet import Fernet

DEV_KEYS_FILE = "dev-keys.json"


def load_or_create_dev_keys(data_dir):
    """Return the development keys stored in ``data_dir``, creating them the first time."""
    path = data_dir / DEV_KEYS_FILE
    if path.is_file():
        return json.loads(path.read_text())
    keys = {
        "secret_key": secrets.token_urlsafe(50),
        "field_encryption_key": Fernet.generate_key().decode(),
    }
    # O_EXCL: when two processes start at once, the second reads what the first wrote.
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return json.loads(path.read_text())
    with os.fdopen(fd, "w") as handle:
        json.dump(keys, handle)
    return keys


def dev_webhook_secret(keys):
    """The development webhook secret, derived from the development ``SECRET_KEY``.

    Derived rather than stored so data folders made before the webhook existed get one too.
    """
    return hashlib.sha256(f"webhook:{keys['secret_key']}".encode()).hexdigest()
