import io

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.db import connection

from syncjobs.crypto import CredentialDecryptionError
from syncjobs.models import Connector
from tests.syncjobs.conftest import TEST_KEY
from tests.syncjobs.factories import CANARY, make_fxiaoke, make_k3cloud

pytestmark = pytest.mark.django_db
SECRET_COLUMNS = ("app_id", "app_secret", "password", "permanent_code")


def raw_secrets(connector_id):
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {', '.join(SECRET_COLUMNS)} FROM syncjobs_connector WHERE id = %s",  # noqa: S608
            [connector_id],
        )
        return dict(zip(SECRET_COLUMNS, cursor.fetchone(), strict=True))


def test_raw_column_never_holds_a_secret_in_clear():
    connector = make_fxiaoke()
    raw = raw_secrets(connector.pk)
    assert CANARY not in " ".join(value for value in raw.values() if value)
    assert Fernet(TEST_KEY).decrypt(raw["app_secret"].encode()).decode() == CANARY
    assert raw["password"] == ""  # not set stays empty, not an encrypted empty string
    assert Connector.objects.get(pk=connector.pk).app_secret == CANARY


def test_a_wrong_key_raises_instead_of_returning_ciphertext(settings):
    connector = make_fxiaoke()
    settings.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    loaded = Connector.objects.get(pk=connector.pk)  # loading does not decrypt...
    assert loaded.has_value("app_secret")
    with pytest.raises(CredentialDecryptionError, match="rotate_credential_keys"):
        loaded.app_secret  # noqa: B018  ...using the secret does


def test_rotation_re_encrypts_every_row_with_the_new_first_key(settings):
    connectors = [make_fxiaoke(f"crm{i}") for i in range(3)] + [
        make_k3cloud(auth_mode="password", password="pw")
    ]
    before = {c.pk: raw_secrets(c.pk) for c in connectors}
    new_key = Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEYS = [new_key, TEST_KEY]

    call_command("rotate_credential_keys", stdout=open("/dev/null", "w"))  # noqa: SIM115

    settings.FIELD_ENCRYPTION_KEYS = [new_key]  # the old key can now be dropped
    for connector in connectors:
        raw = raw_secrets(connector.pk)
        for column, token in raw.items():
            if not before[connector.pk][column]:
                assert token == ""
                continue
            assert token != before[connector.pk][column]
            Fernet(new_key).decrypt(token.encode())
        fresh = Connector.objects.get(pk=connector.pk)
        assert fresh.app_secret == connector.app_secret
        assert fresh.password == connector.password


def test_rotation_with_an_unknown_token_fails_and_changes_nothing(settings):
    first = make_fxiaoke("crm1")
    settings.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    make_fxiaoke("crm2")  # encrypted with a key that will be lost
    before = raw_secrets(first.pk)
    settings.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode(), TEST_KEY]
    with pytest.raises(Exception, match="no configured key decrypts"):
        call_command("rotate_credential_keys")
    assert raw_secrets(first.pk) == before


def test_forms_and_serializers_never_receive_the_secret():
    connector = make_fxiaoke()
    field = Connector._meta.get_field("app_secret")
    assert field.value_from_object(connector) == ""
    assert field.value_to_string(connector) == ""


def test_history_rows_carry_no_secret_columns():
    connector = make_fxiaoke()
    connector.app_secret = "another-" + CANARY
    connector.save()
    history_fields = {f.name for f in connector.history.model._meta.fields}
    assert not history_fields & set(SECRET_COLUMNS)
    assert connector.history.count() == 2


@pytest.mark.parametrize("keys", [["not-a-fernet-key"], []])
def test_check_refuses_encryption_keys_fernet_cannot_use(settings, keys):
    settings.FIELD_ENCRYPTION_KEYS = keys
    with pytest.raises(SystemCheckError, match="syncjobs.E101") as refused:
        call_command("check", stdout=io.StringIO(), stderr=io.StringIO())
    assert "INTEGRATION_HUB_FIELD_ENCRYPTION_KEYS" in str(refused.value)


def test_check_passes_with_a_fernet_key(settings):
    settings.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    call_command("check", stdout=io.StringIO())
