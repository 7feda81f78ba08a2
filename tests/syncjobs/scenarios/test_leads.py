"""Scenario 7: leads stay in the CRM, but the connector reads and writes them like any object,
and they are offered wherever a flow's objects are picked."""

from django.urls import reverse

from syncjobs.adapters.base import ReadOptions, WriteItem
from syncjobs.queries.pickers import object_choices

FIELDS = ["name", "company", "mobile", "leads_status"]


def test_leads_are_written_and_read_back_through_the_connector(site):
    [created] = site.crm.write(
        "LeadsObj",
        [WriteItem("l1", {"name": "陈立", "company": "合肥新锐电子有限公司", "mobile": "13700001111"})],
    )
    assert created.ok, created.error

    [updated] = site.crm.write(
        "LeadsObj", [WriteItem("l1", {"leads_status": "3"}, target_id=created.target.id)]
    )
    [lead] = site.crm.read_ids("LeadsObj", [created.target.id], ReadOptions(fields=FIELDS))

    assert updated.ok and lead.number == "陈立"
    assert {key: lead.data.get(key) for key in FIELDS} == {
        "name": "陈立",
        "company": "合肥新锐电子有限公司",
        "mobile": "13700001111",
        "leads_status": "3",
    }
    changed = [
        r.id for page in site.crm.read_changed("LeadsObj", None, ReadOptions(fields=FIELDS)) for r in page
    ]
    assert created.target.id in changed


def test_leads_are_among_the_objects_the_mapping_editor_offers(site):
    offered = {choice["name"] for choice in object_choices(site.crm_connector)}

    assert {"LeadsObj", "AccountObj", "SalesOrderObj"} <= offered


def test_the_flow_form_suggests_leads_and_the_erp_forms(admin_client_csrf):
    page = admin_client_csrf.get(reverse("admin:syncjobs_syncflow_add")).content.decode()

    assert 'list="source_object-choices"' in page and '<datalist id="target_object-choices">' in page
    assert '<option value="LeadsObj">' in page
    assert '<option value="SAL_DELIVERYNOTICE">' in page
