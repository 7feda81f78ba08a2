import pytest
from django.urls import reverse

from syncjobs.models import Connector
from syncjobs.resources import ConnectorResource
from tests.syncjobs.exporting import export_form
from tests.syncjobs.factories import CANARY, make_fxiaoke, make_k3cloud

pytestmark = pytest.mark.django_db


def change_url(connector):
    return reverse("admin:syncjobs_connector_change", args=[connector.pk])


def form_data(connector, **changes):
    data = {
        "name": connector.name,
        "slug": connector.slug,
        "system": connector.system,
        "base_url": connector.base_url,
        "acct_id": connector.acct_id,
        "username": connector.username,
        "auth_mode": connector.auth_mode,
        "lcid": connector.lcid,
        "org_number": connector.org_number,
        "open_user_id": connector.open_user_id,
        "mobile": connector.mobile,
        "app_id": "",
        "app_secret": "",
        "password": "",
        "permanent_code": "",
        "timeout": "",
        "max_concurrency": 4,
        "rate_limit": 100,
        "rate_period_seconds": 20,
        "rate_budget_share": 0.8,
    }
    return {**data, **changes}


def test_change_page_never_renders_a_secret(admin_client_csrf):
    connector = make_fxiaoke()
    page = admin_client_csrf.get(change_url(connector)).content.decode()
    assert CANARY not in page
    assert 'name="app_secret"' in page and 'type="password"' in page
    assert "Stored (encrypted)" in page


def test_blank_secret_keeps_the_stored_value_and_a_new_one_replaces_it(admin_client_csrf):
    connector = make_fxiaoke()
    response = admin_client_csrf.post_form(change_url(connector), form_data(connector, name="CRM renamed"))
    assert response.status_code == 302, response.content.decode()[:2000]
    connector.refresh_from_db()
    assert (connector.name, connector.app_secret, connector.permanent_code) == (
        "CRM renamed",
        CANARY,
        CANARY + "-code",
    )

    admin_client_csrf.post_form(change_url(connector), form_data(connector, app_secret="rotated-secret"))
    connector.refresh_from_db()
    assert connector.app_secret == "rotated-secret"


def test_new_connector_without_required_secret_is_refused(admin_client_csrf):
    url = reverse("admin:syncjobs_connector_add")
    data = form_data(Connector(name="ERP", slug="erp", system="k3cloud", base_url="https://erp.example.com/"))
    data.update(acct_id="acct01", username="api", auth_mode="password")
    response = admin_client_csrf.post_form(url, data)
    assert response.status_code == 200
    assert not Connector.objects.exists()
    assert "Required for this system and sign-in method." in response.content.decode()


def test_connector_history_shows_the_user_but_no_secret(admin_client_csrf, integration_admin):
    connector = make_k3cloud()
    admin_client_csrf.post_form(change_url(connector), form_data(connector, app_secret="new-" + CANARY))
    latest = connector.history.first()
    assert latest.history_user == integration_admin
    page = admin_client_csrf.get(
        reverse("admin:syncjobs_connector_history", args=[connector.pk])
    ).content.decode()
    assert CANARY not in page


def test_test_connection_is_a_permission_checked_csrf_post(admin_client_csrf, finance_client, staff_client):
    connector = make_k3cloud()
    url = reverse("admin:syncjobs_connector_test_connection", args=[connector.pk])
    assert admin_client_csrf.get(url).status_code == 405
    assert admin_client_csrf.post(url).status_code == 403  # no CSRF token
    assert finance_client.post_form(url).status_code == 403
    assert staff_client.post_form(url).status_code == 403


def test_test_connection_reports_an_unreachable_server(admin_client_csrf, settings):
    settings.INTEGRATION_HUB_HTTP_MAX_RETRIES = 1
    connector = make_k3cloud(base_url="http://127.0.0.1:9/k3cloud/", timeout=2)
    url = reverse("admin:syncjobs_connector_test_connection", args=[connector.pk])
    response = admin_client_csrf.post_form(url, follow=True)
    assert response.status_code == 200
    messages = [str(m) for m in response.context["messages"]]
    assert len(messages) == 1 and messages[0]
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    assert CANARY not in response.content.decode()


def test_change_page_offers_the_test_button_only_with_permission(admin_client_csrf):
    connector = make_k3cloud()
    page = admin_client_csrf.get(change_url(connector)).content.decode()
    assert reverse("admin:syncjobs_connector_test_connection", args=[connector.pk]) in page
    assert "csrfmiddlewaretoken" in page


def test_connector_export_holds_no_secret(admin_client_csrf):
    make_fxiaoke()
    make_k3cloud(auth_mode="password", password=CANARY + "-pw")
    url = reverse("admin:syncjobs_connector_export")
    response = admin_client_csrf.post_form(url, export_form(ConnectorResource))
    assert response["Content-Type"].startswith("application/json")
    body = response.content.decode()
    assert "crm" in body and "erp" in body
    assert CANARY not in body
