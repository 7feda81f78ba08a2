"""The "Test connection" service over real HTTP against both sandboxes."""

import pytest
from django.urls import reverse

from connectors.fxiaoke import FxiaokeClient
from connectors.k3cloud import K3CloudClient
from syncjobs.adapters.clients import build_client
from syncjobs.services.connections import test_connection
from tests.syncjobs.factories import make_sandbox_fxiaoke, make_sandbox_k3cloud

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(sandbox):
    return sandbox.seed(size=5, seed=7, systems=["k3cloud", "fxiaoke"])


def k3cloud_connector(sandbox, tenant, **fields):
    """The tenant's ERP connector, holding its app secret too for the other sign-in methods."""
    secrets = {"app_id": tenant["app_id"], "app_secret": tenant["app_secret"]}
    return make_sandbox_k3cloud(sandbox.base_url, tenant, timeout=5, **{**secrets, **fields})


def fxiaoke_connector(sandbox, tenant, **fields):
    return make_sandbox_fxiaoke(sandbox.base_url, tenant, timeout=5, **fields)


def test_build_client_picks_the_system_client(sandbox, seeded):
    assert isinstance(build_client(k3cloud_connector(sandbox, seeded["k3cloud"])), K3CloudClient)
    assert isinstance(build_client(fxiaoke_connector(sandbox, seeded["fxiaoke"])), FxiaokeClient)


@pytest.mark.parametrize("auth_mode", ["password", "app_secret", "sign", "signed_headers"])
def test_k3cloud_connection_succeeds_in_every_sign_in_method(sandbox, seeded, auth_mode):
    check = test_connection(k3cloud_connector(sandbox, seeded["k3cloud"], auth_mode=auth_mode))
    assert check.ok, check.message


def test_fxiaoke_connection_succeeds(sandbox, seeded):
    check = test_connection(fxiaoke_connector(sandbox, seeded["fxiaoke"]))
    assert check.ok, check.message


def test_wrong_credentials_fail_with_a_message_and_no_secret(sandbox, seeded):
    erp = test_connection(k3cloud_connector(sandbox, seeded["k3cloud"], password="wrong-password-123"))
    crm = test_connection(fxiaoke_connector(sandbox, seeded["fxiaoke"], app_secret="wrong-secret-456"))
    assert (erp.ok, crm.ok) == (False, False)
    assert erp.message and "wrong-password-123" not in erp.message
    assert crm.message and "wrong-secret-456" not in crm.message


def test_admin_button_reports_success(admin_client_csrf, sandbox, seeded):
    connector = k3cloud_connector(sandbox, seeded["k3cloud"])
    url = reverse("admin:syncjobs_connector_test_connection", args=[connector.pk])
    response = admin_client_csrf.post_form(url, follow=True)
    assert [m.level_tag for m in response.context["messages"]] == ["success"]
