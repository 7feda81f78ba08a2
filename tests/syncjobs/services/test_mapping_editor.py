"""The editor's save and preview, and rolling a flow back to an earlier mapping version."""

import pytest

from syncjobs.models import FieldMapping, MappingVersion
from syncjobs.models.flow import record_mapping_version, snapshot_rows
from syncjobs.services.mapping_editor import PreviewFailed, preview, roll_back_to, save_mapping
from tests.syncjobs.engine.conftest import add_accounts, run_now

pytestmark = pytest.mark.django_db


def rows_of(flow):
    return [dict(row) for row in snapshot_rows(flow)]


def test_saving_changed_rows_stores_one_new_version(customers, integration_admin):
    first, _created = record_mapping_version(customers)
    rows = rows_of(customers)
    rows[1]["transform"], rows[1]["source_path"] = "template", ""
    rows[1]["params"] = {"template": "{name} ({account_no})"}

    version, created = save_mapping(customers, rows, integration_admin)

    assert created and version.number == first.number + 1 and version.created_by == integration_admin
    assert FieldMapping.objects.get(flow=customers, target_path="FName").transform == "template"
    assert save_mapping(customers, rows, integration_admin) == (version, False)


def test_a_preview_maps_one_record_with_unsaved_rows_and_shows_the_difference(customers, crm, erp):
    add_accounts(crm, 1)
    run_now(customers)
    versions = MappingVersion.objects.count()
    rows = rows_of(customers)
    rows[1]["transform"], rows[1]["source_path"] = "template", ""
    rows[1]["params"] = {"template": "{name} ({account_no})"}

    shown = preview(customers, rows, "a1")

    assert shown.payload["FName"] == "Account 1 (C0001)"
    assert (shown.item.action, shown.action_label) == ("update", "Update")
    assert shown.item.changes == [("FName", "Account 1", "Account 1 (C0001)")]
    assert MappingVersion.objects.count() == versions
    assert FieldMapping.objects.get(flow=customers, target_path="FName").transform == "direct"


def test_a_preview_of_an_unknown_record_names_it(customers):
    with pytest.raises(PreviewFailed, match="“nope”"):
        preview(customers, rows_of(customers), "nope")
    with pytest.raises(PreviewFailed, match="Pick a source record"):
        preview(customers, rows_of(customers), " ")


def test_rolling_back_makes_a_new_version_equal_to_the_old_one(customers, integration_admin):
    old, _created = record_mapping_version(customers)
    FieldMapping.objects.filter(flow=customers, target_path="FCreditLimit").delete()
    FieldMapping.objects.filter(flow=customers, target_path="FName").update(note="renamed")
    middle, _created = record_mapping_version(customers)

    new, created = roll_back_to(old, user=integration_admin)

    assert created and new.number == middle.number + 1
    assert new.rows == old.rows and new.fingerprint == old.fingerprint
    assert new.created_by == integration_admin
    assert snapshot_rows(customers) == old.rows
    assert roll_back_to(old) == (new, False)
