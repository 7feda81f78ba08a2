"""The "Test connection" service over real HTTP against both sandboxes."""

import uuid

import pytest
from django.urls import reverse

from connectors.fxiaoke import FxiaokeClient
from connectors.k3cloud import K3CloudClient
from syncjobs.adapters.clients import build_client
from syncjobs.models import Connector
from syncjobs.services.connections import test_connection

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(sandbox):
    return sandbox.seed(size=5, seed=7, systems=["k3cloud", "fxiaoke"])


def k3cloud_connector(sandbox, tenant, **fields):
    values = {
        "name": "ERP",
        "slug": f"erp-{uuid.uuid4().hex[:8]}",
        "system": "k3cloud",
        "base_url": sandbox.base_url + tenant["server_url"],
        "acct_id": tenant["acct_id"],
        "username": tenant["username"],
        "auth_mode": "password",
        "password": tenant["password"],
        "app_id": tenant["app_id"],
        "app_secret": tenant["app_secret"],
        "timeout": 5,
        **fields,
    }
    return Connector.objects.create(**values)


def fxiaoke_connector(sandbox, tenant, **fields):
    values = {
        "name": "CRM",
        "slug": f"crm-{uuid.uuid4().hex[:8]}",
        "system": "fxiaoke",
        "base_url": sandbox.base_url + tenant["base_url"],
        "app_id": tenant["app_id"],
        "app_secret": tenant["app_secret"],
        "permanent_code": tenant["permanent_code"],
        "open_user_id": tenant["open_user_id"],
        "timeout": 5,
        **fields,
    }
    return Connector.objects.create(**values)


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
