from syncjobs.mapping import mapping_errors, row_errors


def test_valid_row_has_no_errors():
    assert row_errors({"target_path": "FName", "source_path": "name"}) == {}


def test_row_errors_are_keyed_by_the_model_field():
    errors = row_errors(
        {"target_path": "F Name", "source_path": "", "transform": "direct", "params": {"x": 1}}
    )
    assert set(errors) == {"target_path", "source_path", "params"}


def test_constant_and_template_take_no_source():
    errors = row_errors(
        {"target_path": "a", "source_path": "b", "transform": "constant", "params": {"value": 1}}
    )
    assert "leave the path empty" in str(errors["source_path"][0])


def test_target_cannot_address_a_list_position():
    errors = row_errors({"target_path": "owner.0", "source_path": "owner"})
    assert "list position" in str(errors["target_path"][0])


def test_template_placeholders_cannot_walk_more_lists_than_the_target():
    errors = row_errors(
        {"target_path": "note", "transform": "template", "params": {"template": "{lines[].x}"}}
    )
    assert "more lists" in str(errors["source_path"][0])


def test_unknown_transform_is_reported():
    assert "transform" in row_errors({"target_path": "a", "source_path": "b", "transform": "eval"})


def test_overlapping_targets_are_reported_on_the_later_row():
    problems = mapping_errors(
        [
            {"target_path": "FCustId", "source_path": "a"},
            {"target_path": "FCustId.FNumber", "source_path": "b"},
            {"target_path": "Lines[].Qty", "source_path": "l[].q"},
            {"target_path": "Lines.Qty", "source_path": "c"},
        ]
    )
    assert set(problems) == {2, 4}
    assert "overlaps row 1" in str(problems[2]["target_path"][0])
