"""Re-encrypt every stored credential with the first key of INTEGRATION_HUB_FIELD_ENCRYPTION_KEYS."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from syncjobs.crypto import CredentialDecryptionError
from syncjobs.services.credentials import rotate_credentials


class Command(BaseCommand):
    help = _(
        "Re-encrypt every stored credential with the first key of INTEGRATION_HUB_FIELD_ENCRYPTION_KEYS. "
        "Put the new key first and keep the old ones after it until this command has run."
    )

    def handle(self, *args, **options):
        try:
            rotated = rotate_credentials()
        except CredentialDecryptionError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(_("Re-encrypted %(count)s rows.") % {"count": rotated}))
