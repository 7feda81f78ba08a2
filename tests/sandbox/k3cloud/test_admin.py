"""The simulated ERP in the admin, in process: browsing records and editing one as a person
would in the ERP's client, which stamps FModifyDate so an incremental pull sees it."""

import json

import pytest
from django.db import connections
from django.urls import reverse

from sandbox import services
from sandbox.k3cloud.models import Record, Tenant
from sandbox.models import CallLogEntry

pytestmark = pytest.mark.django_db(databases=["default", "sandbox"])


@pytest.fixture
def tenant():
    details = services.seed(size=10, seed=3, systems=["k3cloud"])["k3cloud"]
    return Tenant.objects.get(acct_id=details["acct_id"])


def test_the_record_list_loads_with_a_bounded_number_of_queries(
    admin_client, tenant, django_assert_max_num_queries
):
    # count, page, and the distinct values of each list filter: never one query per row
    with django_assert_max_num_queries(8, connection=connections["sandbox"]):
        response = admin_client.get(
            reverse("admin:sandbox_k3cloud_record_changelist"), {"form": "BD_MATERIAL"}
        )
    assert response.status_code == 200
    assert "01.0001" in response.content.decode()


def test_an_edit_in_the_admin_is_a_change_in_the_erp(admin_client, tenant):
    customer = Record.objects.get(tenant=tenant, form="BD_Customer", number="CUST0001")
    before = customer.modified_at
    data = {**customer.data, "FTEL": "021-99999999"}
    response = admin_client.post(
        reverse("admin:sandbox_k3cloud_record_change", args=[customer.pk]),
        {
            "number": customer.number,
            "name": "改名的客户",
            "document_status": "C",
            "forbid_status": "A",
            "data": json.dumps(data, ensure_ascii=False),
            "_save": "1",
        },
    )
    assert response.status_code == 302
    customer.refresh_from_db()
    assert (customer.name, customer.data["FTEL"]) == ("改名的客户", "021-99999999")
    assert customer.modified_at > before
    assert customer.data["FModifyDate"] > json.loads(json.dumps(data))["FModifyDate"]


def test_account_sets_and_the_call_log_are_browsable(admin_client, tenant):
    CallLogEntry.objects.create(
        system="k3cloud", tenant=tenant.acct_id, operation="Save", outcome="ok", at="2026-09-01T00:00:00Z"
    )
    assert (
        tenant.acct_id
        in admin_client.get(reverse("admin:sandbox_k3cloud_tenant_changelist")).content.decode()
    )
    log = admin_client.get(reverse("admin:sandbox_calllogentry_changelist"))
    assert log.status_code == 200 and tenant.acct_id in log.content.decode()
    assert admin_client.get(reverse("admin:sandbox_systemswitches_changelist")).status_code == 200
