"""The simulated CRM's admin in Chinese: the tenant column is named in the reader's language."""

import pytest
from django.urls import reverse

from sandbox import services

pytestmark = pytest.mark.django_db(databases=["default", "sandbox"])


def test_the_tenant_column_reads_in_chinese(admin_client, settings):
    services.seed(size=3, seed=3, systems=["fxiaoke"])
    settings.LANGUAGE_CODE = "zh-hans"
    page = admin_client.get(reverse("admin:sandbox_fxiaoke_record_changelist")).content.decode()
    assert "column-tenant_name" in page and ">租户</a>" in page
    assert "Tenant" not in page
