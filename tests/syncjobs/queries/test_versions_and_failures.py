"""Mapping versions compared, the records a version wrote, failures grouped by error, payload diffs."""

import pytest

from syncjobs.models import MappingVersion, SyncRecord
from syncjobs.models.flow import record_mapping_version
from syncjobs.queries.diffs import diff, leaves
from syncjobs.queries.failures import error_classes, open_counts, open_records
from syncjobs.queries.versions import compare_rows, outcome_counts, previous_version, written_records
from tests.syncjobs.factories import make_flow, make_mapping, make_records, make_run

pytestmark = pytest.mark.django_db


def row(target, source="", transform="direct", params=None, **extra):
    return {
        "position": 1,
        "target_path": target,
        "source_path": source,
        "transform": transform,
        "params": params or {},
        "required": False,
        "note": "",
        **extra,
    }


def test_rows_are_compared_by_target_field():
    old = [row("FName", "name"), row("FTEL", "tel"), row("FGroup", "kind", "value_map", {"map": "a"})]
    new = [
        row("FName", "name"),
        row("FGroup", "kind", "value_map", {"map": "b"}, required=True),
        row("FZIP", "zip"),
    ]

    changes = compare_rows(old, new)

    assert [(c.kind, c.target_path) for c in changes] == [
        ("changed", "FGroup"),
        ("added", "FZIP"),
        ("removed", "FTEL"),
    ]
    assert changes[0].fields == [("params", {"map": "a"}, {"map": "b"}), ("required", False, True)]


def test_a_version_knows_the_one_before_and_what_it_wrote():
    flow = make_flow()
    make_mapping(flow, "FName", "name")
    first, _ = record_mapping_version(flow)
    make_mapping(flow, "FTEL", "tel")
    second, _ = record_mapping_version(flow)
    run = make_run(flow, mapping_version=second)
    make_records(run, 2, mapping_version=second)
    make_records(run, 1, mapping_version=second, action="unchanged")
    make_records(run, 1, mapping_version=second, status="failed")
    make_records(make_run(flow), 3, mapping_version=first)

    assert previous_version(second) == first and previous_version(first) is None
    assert written_records(second).count() == 2  # the failed one wrote nothing; unchanged neither
    assert set(written_records(second).values_list("action", flat=True)) == {"create"}
    assert outcome_counts(second) == {
        ("succeeded", "create"): 2,
        ("succeeded", "unchanged"): 1,
        ("failed", "create"): 1,
    }
    assert MappingVersion.objects.count() == 2


def test_failures_are_grouped_by_code_and_field_largest_first():
    flow = make_flow()
    make_records(
        make_run(flow),
        3,
        status="failed",
        error_code="unmapped_value",
        error_field="FGroup",
        error_message="the value “7” has no entry",
    )
    make_records(make_run(flow), 1, status="dead", error_code="gave_up", error_message="gave up")
    make_records(make_run(flow), 2, status="waiting", error_code="missing_reference", error_field="FCustId")
    make_records(make_run(flow), 4, status="superseded", error_code="unmapped_value", error_field="FGroup")
    make_records(make_run(flow), 5)

    classes = error_classes(flow)

    assert [(c.code, c.field, c.count) for c in classes] == [
        ("unmapped_value", "FGroup", 3),
        ("missing_reference", "FCustId", 2),
        ("gave_up", "", 1),
    ]
    assert classes[0].example == "the value “7” has no entry"
    assert open_counts(flow) == {"failed": 3, "dead": 1, "waiting": 2}
    assert open_records(flow, code="gave_up").count() == 1
    assert open_records(flow, status="waiting").count() == 2
    assert SyncRecord.objects.count() == 15


def test_payload_differences_name_fields_and_lines():
    before = {
        "FNumber": "C1",
        "FCustId": {"FNumber": "K1"},
        "FSaleOrderEntry": [{"FQty": "1"}, {"FQty": "2"}],
    }
    after = {
        "FNumber": "C1",
        "FCustId": {"FNumber": "K2"},
        "FSaleOrderEntry": [{"FQty": "1.0"}, {"FQty": "3"}, {"FQty": "4"}],
        "FNote": "x",
    }

    assert list(leaves(before)) == [
        "FNumber",
        "FCustId.FNumber",
        "FSaleOrderEntry[1].FQty",
        "FSaleOrderEntry[2].FQty",
    ]
    assert [(c.path, c.before, c.after, c.kind) for c in diff(before, after)] == [
        ("FCustId.FNumber", "K1", "K2", "changed"),
        ("FSaleOrderEntry[2].FQty", "2", "3", "changed"),
        ("FSaleOrderEntry[3].FQty", None, "4", "added"),
        ("FNote", None, "x", "added"),
    ]
