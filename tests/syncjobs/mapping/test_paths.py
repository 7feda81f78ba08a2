import pytest

from syncjobs.mapping.paths import (
    PathError,
    assign,
    line_indexes,
    parse_line_path,
    parse_path,
    resolve,
    resolve_all,
)


def test_parse_path_reads_lists_and_positions():
    path = parse_path("FSaleOrderEntry[].FMaterialId.FNumber")
    assert [(s.name, s.is_list) for s in path.segments] == [
        ("FSaleOrderEntry", True),
        ("FMaterialId", False),
        ("FNumber", False),
    ]
    assert path.depth == 1
    assert parse_path("owner.0").segments[1].position == 0


@pytest.mark.parametrize("text", ["", "a..b", "a[0]", "a.b-c", "a[].[]", "a.__import__()"])
def test_parse_path_rejects_malformed_paths(text):
    with pytest.raises(PathError):
        parse_path(text)


def test_parse_line_path_reads_the_lines_a_readable_path_names():
    path = parse_line_path("FSaleOrderEntry[2].FMaterialId.FNumber")
    assert [(s.name, s.line) for s in path.segments] == [
        ("FSaleOrderEntry", 2),
        ("FMaterialId", None),
        ("FNumber", None),
    ]
    assert not any(s.is_list for s in path.segments)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("FEntity[].FQty", "is not a field path"),
        ("a..b", "is not a field path"),
        ("FEntity[0].FQty", "Lines are counted from 1"),
    ],
)
def test_parse_line_path_rejects_every_line_and_line_zero(text, message):
    with pytest.raises(PathError, match=message):
        parse_line_path(text)


def test_resolve_walks_dicts_and_list_positions():
    record = {"owner": ["FSUID_1", "FSUID_2"], "account": {"name": "ACME"}}
    assert resolve(record, parse_path("owner.1")) == "FSUID_2"
    assert resolve(record, parse_path("account.name")) == "ACME"
    assert resolve(record, parse_path("account.missing")) is None
    assert resolve(record, parse_path("nothing.here")) is None


def test_resolve_prefers_flat_k3cloud_query_keys():
    # ExecuteBillQuery rows are keyed by the whole field key.
    row = {"FCustId.FNumber": "C001", "FCustId": {"FNumber": "other"}}
    assert resolve(row, parse_path("FCustId.FNumber")) == "C001"


def test_companion_paths_read_the_name_in_both_shapes():
    as_text = {"account_id__r": "ACME Ltd"}
    as_object = {"owner__r": {"name": "Zhang San", "openUserId": "FSUID_1"}}
    assert resolve(as_text, parse_path("account_id__r")) == "ACME Ltd"
    assert resolve(as_text, parse_path("account_id__r.name")) == "ACME Ltd"
    assert resolve(as_object, parse_path("owner__r")) == "Zhang San"
    assert resolve(as_object, parse_path("owner__r.openUserId")) == "FSUID_1"


def test_resolve_all_yields_one_value_per_line_with_its_index():
    record = {"lines": [{"qty": 1, "subs": [{"x": "a"}, {"x": "b"}]}, {"qty": 2, "subs": []}]}
    assert resolve_all(record, parse_path("lines[].qty")) == [((0,), 1), ((1,), 2)]
    assert resolve_all(record, parse_path("lines[].subs[].x")) == [((0, 0), "a"), ((0, 1), "b")]
    assert resolve_all({}, parse_path("lines[].qty")) == []
    assert resolve_all({"a": None}, parse_path("a.b")) == [((), None)]


def test_assign_builds_nested_objects_and_lines():
    payload = {}
    assign(payload, parse_path("FCustId.FNumber"), (), "C001")
    assign(payload, parse_path("FEntry[].FQty"), (1,), "2")
    assign(payload, parse_path("owner[]"), (0,), "FSUID_1")
    assert payload == {"FCustId": {"FNumber": "C001"}, "FEntry": [{}, {"FQty": "2"}], "owner": ["FSUID_1"]}
    assert line_indexes(payload, parse_path("FEntry[]")) == [(0,), (1,)]
