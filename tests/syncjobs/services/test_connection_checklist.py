"""Test connection as a checklist of what the enabled flows need, over HTTP against the sandboxes."""

import pytest
from django.urls import reverse

from syncjobs.services.connection_checklist import check_connector
from tests.syncjobs.console.sandbox_connectors import crm_connector, erp_connector
from tests.syncjobs.factories import make_flow, make_mapping, make_value_map

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def tenants(sandbox_server):
    return sandbox_server.seed(size=4, seed=31)


@pytest.fixture
def flow(sandbox, tenants):
    """An enabled customers flow naming a missing organisation, value-map target and fields."""
    flow = make_flow(
        "listed-customers",
        source=crm_connector(sandbox, tenants["fxiaoke"]),
        target=erp_connector(sandbox, tenants["k3cloud"]),
        enabled=True,
        post_actions=[{"action": "allocate", "organisations": ["101", "909"]}],
    )
    make_value_map("customer-types", {"1": "KHLB001_SYS", "2": "NO-SUCH-TYPE"})
    make_mapping(flow, "FNumber", "account_no", required=True, position=10)
    make_mapping(flow, "FName", "acount_name", position=20)
    make_mapping(
        flow, "FCustTypeId.FNumber", "account_type", "value_map", {"map": "customer-types"}, position=30
    )
    make_mapping(flow, "F_PAEZ_Gone", "remark", position=40)
    return flow


def by_text(checklist):
    return {line.label: line for line in checklist.lines}


def test_the_erp_checklist_names_each_missing_thing_with_its_fix(flow):
    checklist = check_connector(flow.target_connector)

    lines = by_text(checklist)
    assert checklist.lines[0].ok  # signed in
    assert lines["BD_Customer is reachable with this user."].ok
    missing = lines["Flow “Listed-Customers” maps fields BD_Customer does not have: row 4 “F_PAEZ_Gone”."]
    assert not missing.ok and "mapping editor" in missing.fix
    orgs = lines["No organisation is numbered 909 in the ERP."]
    assert not orgs.ok and "create the organisation" in orgs.fix
    types = lines[
        "Value map “Customer-Types” names numbers BOS_ASSISTANTDATA_DETAIL does not have: NO-SUCH-TYPE."
    ]
    assert not types.ok and "value map" in types.fix
    assert checklist.summary() == "3 of 5 checks failed; each says what to do."


def test_the_crm_checklist_finds_a_misspelt_source_field(flow):
    checklist = check_connector(flow.source_connector)

    lines = by_text(checklist)
    assert lines["AccountObj is reachable with this user."].ok
    assert not lines["Flow “Listed-Customers” maps fields AccountObj does not have: row 2 “acount_name”."].ok


def test_a_form_the_erp_does_not_know_is_a_failed_line(flow):
    flow.target_object = "BD_NoSuchForm"
    flow.save()

    [line] = [line for line in check_connector(flow.target_connector).lines if "BD_NoSuchForm" in line.label]

    assert not line.ok and "Give the connector's user the right" in line.fix


def test_the_admin_page_shows_the_checklist(admin_client_csrf, flow):
    url = reverse("admin:syncjobs_connector_test_connection", args=[flow.target_connector.pk])

    response = admin_client_csrf.post_form(url)

    page = response.content.decode()
    assert response.status_code == 200 and 'id="rc-checklist"' in page
    assert "No organisation is numbered 909 in the ERP." in page
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
