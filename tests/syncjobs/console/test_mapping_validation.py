"""The editor's save refuses rows the sandboxes' metadata does not know, on their row; the
pickers offer the tenant's own fields and read them again on request."""

import pytest
from django.urls import reverse

from syncjobs.models import MappingVersion
from tests.syncjobs.console.forms import formset_data
from tests.syncjobs.console.sandbox_connectors import crm_connector, erp_connector
from tests.syncjobs.factories import make_flow, make_mapping

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def tenants(sandbox_server):
    return sandbox_server.seed(size=4, seed=37)


@pytest.fixture
def flow(sandbox, tenants):
    flow = make_flow(
        "edited-customers",
        source=crm_connector(sandbox, tenants["fxiaoke"]),
        target=erp_connector(sandbox, tenants["k3cloud"]),
    )
    make_mapping(flow, "FNumber", "account_no", required=True, position=10)
    make_mapping(flow, "FTEL", "tel", position=20)
    return flow


def editor_url(flow):
    return reverse("console:mapping_editor", args=[flow.pk])


def save(client, flow, **changes):
    data = formset_data(client.get(editor_url(flow)).context["formset"])
    data.update({"_save": "Save", **changes})
    return client.post_form(editor_url(flow), data, follow=True)


def test_a_misspelt_field_is_refused_on_its_row_and_saved_once_confirmed(admin_client_csrf, flow):
    refused = save(admin_client_csrf, flow, **{"rows-1-source_path": "acount_no"})

    row = refused.context["formset"].forms[1]
    assert "Row 2: the source field “acount_no” does not exist" in row.errors["source_path"][0]
    assert "Some rows need a correction" in refused.content.decode()
    assert not MappingVersion.objects.filter(flow=flow).exists()

    saved = save(admin_client_csrf, flow, **{"rows-1-source_path": "acount_no", "rows-1-unlisted_ok": "on"})

    assert "Saved the mapping as version 1." in saved.content.decode()
    version = MappingVersion.objects.get(flow=flow)
    assert version.unlisted_fields == [{"target_path": "FTEL", "fields": ["acount_no"]}]
    assert saved.context["formset"].forms[1]["unlisted_ok"].value() is True  # shown ticked again
    page = admin_client_csrf.get(reverse("console:mapping_version", args=[version.pk])).content.decode()
    assert 'id="rc-unlisted-fields"' in page and "<code>acount_no</code>" in page


def test_a_read_only_target_is_refused_even_when_confirmed(admin_client_csrf, flow):
    response = save(
        admin_client_csrf, flow, **{"rows-1-target_path": "FDocumentStatus", "rows-1-unlisted_ok": "on"}
    )

    assert "is read-only" in response.context["formset"].forms[1].errors["target_path"][0]
    assert not MappingVersion.objects.filter(flow=flow).exists()


def test_the_errors_are_in_chinese_for_a_chinese_session(admin_client_csrf, flow, settings):
    settings.LANGUAGE_CODE = "zh-hans"

    response = save(admin_client_csrf, flow, **{"rows-1-source_path": "no_such_field"})

    message = response.context["formset"].forms[1].errors["source_path"][0]
    assert "第 2 行" in message and "“no_such_field”" in message and "元数据中没有" in message


def test_refreshing_the_fields_shows_a_tenant_field_added_since(admin_client_csrf, flow, sandbox):
    fields_url = reverse("console:picker_fields", args=[flow.target_connector.pk]) + "?object=BD_Customer"
    refresh_url = (
        reverse("console:picker_refresh_fields", args=[flow.target_connector.pk]) + "?object=BD_Customer"
    )
    admin_client_csrf.get(fields_url)  # kept
    sandbox.set_tenant_field("k3cloud", "BD_Customer", "F_PAEZ_Region", "text", label="销售区域")
    try:
        kept = {item["path"] for item in admin_client_csrf.get(fields_url).json()["items"]}
        refreshed = admin_client_csrf.post_form(refresh_url).json()["items"]
    finally:
        sandbox.reset_tenant_fields()

    assert "F_PAEZ_Region" not in kept
    [region] = [item for item in refreshed if item["path"] == "F_PAEZ_Region"]
    assert region["custom"] and region["label"] == "销售区域"
    assert admin_client_csrf.get(refresh_url).status_code == 405


def test_the_editor_offers_the_refresh_button_and_the_confirmation_box(admin_client_csrf, flow):
    page = admin_client_csrf.get(editor_url(flow)).content.decode()

    assert 'id="rc-refresh-fields"' in page and 'name="rows-0-unlisted_ok"' in page
    assert reverse("console:picker_refresh_fields", args=[flow.source_connector.pk]) in page
