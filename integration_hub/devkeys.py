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
    if not path.is_file():
        _create_atomically(path)
    return json.loads(path.read_text())


def _create_atomically(path):
    # Several processes may start together (a server and its workers). The keys are written to
    # a private file first and then hard-linked into place, so the file appears complete or not
    # at all; whoever links second keeps the first one's keys.
    keys = {
        "secret_key": secrets.token_urlsafe(50),
        "field_encryption_key": Fernet.generate_key().decode(),
    }
    draft = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        json.dump(keys, handle)
    try:
        os.link(draft, path)
    except FileExistsError:
        pass
    finally:
        draft.unlink()


def dev_webhook_secret(keys):
    """The development webhook secret, derived from the development ``SECRET_KEY``.

    Derived rather than stored so data folders made before the webhook existed get one too.
    """
    return hashlib.sha256(f"webhook:{keys['secret_key']}".encode()).hexdigest()
