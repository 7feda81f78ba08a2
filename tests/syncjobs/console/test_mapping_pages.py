"""The mapping editor, value-map entries and mapping versions, through their pages."""

import pytest
from django.urls import reverse

from syncjobs.models import FieldMapping, MappingVersion, ValueMap
from syncjobs.models.flow import record_mapping_version
from tests.syncjobs.console.forms import formset_data
from tests.syncjobs.engine.conftest import add_accounts, run_now
from tests.syncjobs.factories import make_flow, make_fxiaoke, make_mapping, make_value_map

pytestmark = pytest.mark.django_db


def editor_post(client, flow, **changes):
    page = client.get(reverse("console:mapping_editor", args=[flow.pk]))
    data = formset_data(page.context["formset"])
    data.update(changes)
    return client.post_form(reverse("console:mapping_editor", args=[flow.pk]), data, follow=True)


def test_the_editor_shows_the_rows_with_pickers_and_settings_forms(admin_client_csrf, customers):
    page = admin_client_csrf.get(reverse("console:mapping_editor", args=[customers.pk])).content.decode()

    assert 'value="FCreditLimit"' in page and 'name="rows-2-number-decimals"' in page
    assert 'class="rc-picker" data-side="target"' in page
    assert "mapping_editor.js" in page and "<textarea" not in page  # no JSON box anywhere


def test_saving_from_the_editor_stores_a_version(admin_client_csrf, customers, integration_admin):
    response = editor_post(admin_client_csrf, customers, **{"rows-2-number-decimals": "0", "_save": "Save"})

    assert "Saved the mapping as version 1." in response.content.decode()
    assert FieldMapping.objects.get(flow=customers, target_path="FCreditLimit").params == {"decimals": 0}
    assert MappingVersion.objects.get(flow=customers).created_by == integration_admin


def test_a_wrong_row_is_shown_with_its_message_and_nothing_is_saved(admin_client_csrf, customers):
    response = editor_post(admin_client_csrf, customers, **{"rows-1-target_path": "FNumber", "_save": "Save"})

    page = response.content.decode()
    assert "Row 1 already writes this target." in page
    assert "Some rows need a correction" in page
    assert not MappingVersion.objects.exists()


def test_a_preview_shows_the_payload_and_the_changes_without_saving(admin_client_csrf, customers, crm):
    add_accounts(crm, 1)
    run_now(customers)
    versions = MappingVersion.objects.count()

    response = editor_post(
        admin_client_csrf,
        customers,
        **{
            "rows-1-transform": "template",
            "rows-1-source_path": "",
            "rows-1-template-template": "{name} / {account_no}",
            "preview_source": "a1",
            "_preview": "Preview",
        },
    )

    page = response.content.decode()
    assert "Account 1 / C0001" in page and "Update" in page
    assert "<code>FName</code>" in page  # the changed field, now and after
    assert MappingVersion.objects.count() == versions
    assert FieldMapping.objects.get(flow=customers, target_path="FName").transform == "direct"
    assert 'value="{name} / {account_no}"' in page  # the unsaved row stays on the page


def test_a_dry_run_of_unsaved_rows_counts_what_a_full_resync_would_do(admin_client_csrf, customers, crm):
    add_accounts(crm, 3)
    run_now(customers)

    response = editor_post(
        admin_client_csrf, customers, **{"rows-1-source_path": "account_no", "_dry_run": "Dry run"}
    )

    page = response.content.decode()
    assert response.context["dry_run"].counts["update"] == 3
    assert "Update: 3" in page and "<code>FName</code>: Account 2 → C0002" in page
    assert FieldMapping.objects.get(flow=customers, target_path="FName").source_path == "name"


def test_a_preview_of_a_missing_record_says_so(admin_client_csrf, customers):
    response = editor_post(admin_client_csrf, customers, preview_source="nope", _preview="Preview")

    assert "has no record with ID “nope”" in response.content.decode()


def test_the_erp_pickers_answer_from_the_catalog(admin_client_csrf, customers):
    erp = customers.target_connector
    fields = admin_client_csrf.get(
        reverse("console:picker_fields", args=[erp.pk]) + "?object=BD_Customer"
    ).json()

    paths = {item["path"] for item in fields["items"]}
    assert {"FNumber", "FCustTypeId.FNumber", "FT_BD_CUSTBANK[].FBANKCODE"} <= paths


def test_a_picker_whose_system_cannot_be_reached_answers_the_reason(admin_client_csrf, settings):
    settings.INTEGRATION_HUB_RETRY_BASE_SECONDS = settings.INTEGRATION_HUB_RETRY_CAP_SECONDS = 0
    unreachable = make_fxiaoke("nowhere", base_url="http://127.0.0.1:9", timeout=2)

    response = admin_client_csrf.get(
        reverse("console:picker_fields", args=[unreachable.pk]) + "?object=AccountObj"
    )

    assert response.status_code == 502
    assert "could not be asked for its fields" in response.json()["error"]


def test_value_map_entries_are_edited_in_a_table(admin_client_csrf, db):
    value_map = make_value_map("levels", {"A": "VIP", "B": "Key"})
    url = reverse("console:value_map_entries", args=[value_map.pk])
    formset = admin_client_csrf.get(url).context["formset"]
    data = {
        "entries-TOTAL_FORMS": str(len(formset.forms)),
        "entries-INITIAL_FORMS": "0",
        "entries-0-source_value": "A",
        "entries-0-target_value": "Gold",
        "entries-1-source_value": "B",
        "entries-1-target_value": "",
        "entries-2-source_value": "C",
        "entries-2-target_value": "Silver",
    }

    admin_client_csrf.post_form(url, data)

    assert ValueMap.objects.get(slug="levels").as_dict() == {"A": "Gold", "C": "Silver"}


def test_a_source_value_listed_twice_is_refused(admin_client_csrf, db):
    value_map = make_value_map("levels", {"A": "VIP"})
    data = {
        "entries-TOTAL_FORMS": "2",
        "entries-INITIAL_FORMS": "0",
        "entries-0-source_value": "A",
        "entries-0-target_value": "1",
        "entries-1-source_value": "A",
        "entries-1-target_value": "2",
    }

    response = admin_client_csrf.post_form(reverse("console:value_map_entries", args=[value_map.pk]), data)

    assert "listed twice" in response.content.decode()
    assert ValueMap.objects.get().as_dict() == {"A": "VIP"}


def test_a_version_page_compares_and_rolls_back(admin_client_csrf, db):
    flow = make_flow()
    make_mapping(flow, "FName", "name")
    first, _ = record_mapping_version(flow)
    make_mapping(flow, "FTEL", "tel")
    second, _ = record_mapping_version(flow)

    page = admin_client_csrf.get(reverse("console:mapping_version", args=[second.pk])).content.decode()
    assert "<code>FTEL</code>" in page and "added" in page and "This is the flow's current mapping." in page
    first_page = admin_client_csrf.get(reverse("console:mapping_version", args=[first.pk])).content.decode()
    assert 'id="rc-roll-back"' in first_page

    response = admin_client_csrf.post_form(reverse("console:version_roll_back", args=[first.pk]), follow=True)

    assert "Rolled back: version 3 now maps as version 1 did." in response.content.decode()
    assert list(flow.mappings.values_list("target_path", flat=True)) == ["FName"]
    assert MappingVersion.objects.get(flow=flow, number=3).rows == first.rows
