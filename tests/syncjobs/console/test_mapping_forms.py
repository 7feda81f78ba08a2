"""The editor's forms: every transform's settings as fields, row by row, messages where the problem is."""

import pytest

from syncjobs import scenarios
from syncjobs.console.params import PARAM_FORMS
from syncjobs.console.rows import row_formset
from syncjobs.mapping import TRANSFORMS
from tests.syncjobs.console.forms import formset_data
from tests.syncjobs.factories import make_flow, make_value_map

pytestmark = pytest.mark.django_db


def row(target, source="", transform="direct", params=None, position=10, **extra):
    return {
        "position": position,
        "target_path": target,
        "source_path": source,
        "transform": transform,
        "params": params or {},
        "required": False,
        "note": "",
        **extra,
    }


def submit(rows, **changes):
    data = formset_data(row_formset(rows=rows))
    data.update(changes)
    return row_formset(data=data)


def test_every_transform_has_a_settings_form_with_a_field_per_parameter():
    assert set(PARAM_FORMS) == set(TRANSFORMS)
    for name, transform in TRANSFORMS.items():
        fields = set(PARAM_FORMS[name].base_fields)
        for param in transform.params:
            renamed = {"return": "returns", "from": "source_unit", "to": "target_unit"}
            assert renamed.get(param.name, param.name) in fields | {"keep_unmapped"}, (name, param.name)


def test_every_scenario_mapping_comes_back_unchanged_from_the_editor():
    bundle = scenarios.load_bundle()
    used = [r["params"] for flow in bundle for r in flow["mappings"]]
    for slug in sorted({params["map"] for params in used if "map" in params}):
        make_value_map(slug, {"1": "A"})
    for slug in sorted({params["flow"] for params in used if "flow" in params}):
        make_flow(slug)
    for flow in bundle:
        rows = [{"note": "", **mapping} for mapping in flow["mappings"]]
        formset = submit(rows)
        assert formset.is_valid(), (flow["slug"], formset.errors, formset.non_form_errors())
        assert formset.rows() == rows, flow["slug"]


def test_settings_are_chosen_in_fields_and_become_parameters():
    make_value_map("unit", {"台": "Pcs"})
    formset = submit(
        [row("FBaseUnitId.FNumber", "unit")],
        **{
            "rows-0-transform": "value_map",
            "rows-0-value_map-map": "unit",
            "rows-0-value_map-unmapped": "default",
            "rows-0-value_map-default": "Pcs",
        },
    )

    assert formset.is_valid(), formset.errors
    assert formset.rows()[0]["params"] == {"map": "unit", "default": "Pcs"}


def test_a_constant_keeps_its_type():
    formset = submit(
        [row("FIsIncludedTax", transform="constant", params={"value": True})],
        **{"rows-0-constant-value_kind": "integer", "rows-0-constant-value": "13"},
    )

    assert formset.is_valid(), formset.errors
    assert formset.rows()[0]["params"] == {"value": 13}


def test_a_wrong_setting_is_reported_on_its_own_field_of_its_row():
    formset = submit(
        [row("FName", "name"), row("FQty", "qty", "number", {"decimals": 2}, position=20)],
        **{"rows-1-number-multiply": "a lot"},
    )

    assert not formset.is_valid()
    assert formset.forms[0].errors == {}
    params = formset.forms[1].param_forms["number"]
    assert "multiply" in params.errors and "number written as text" in params.errors["multiply"][0]
    assert "Check the settings of the transform below." in formset.forms[1].non_field_errors()


def test_settings_that_contradict_each_other_are_reported_on_the_row():
    formset = submit(
        [row("FQty", "qty", "number", {"decimals": 2})],
        **{"rows-0-number-output": "integer"},
    )

    assert not formset.is_valid()
    assert "do not fit together" in str(formset.forms[0].param_forms["number"].non_field_errors())


def test_a_path_error_lands_on_the_path_field():
    formset = submit([row("FName", "name")], **{"rows-0-source_path": "lines[].[x"})

    assert not formset.is_valid()
    assert list(formset.forms[0].errors) == ["source_path"]


def test_a_transform_reading_no_source_field_says_to_leave_it_empty():
    formset = submit(
        [row("FNote", transform="template", params={"template": "{name}"})],
        **{"rows-0-source_path": "name"},
    )

    assert not formset.is_valid()
    assert "leave the path empty" in formset.forms[0].errors["source_path"][0]


def test_a_target_written_twice_is_reported_on_the_second_row():
    formset = submit(
        [row("FName", "name"), row("FNumber", "no", position=20)], **{"rows-1-target_path": "FName"}
    )

    assert not formset.is_valid()
    assert formset.forms[1].errors["target_path"] == ["Row 1 already writes this target."]
    assert formset.forms[0].errors == {}


def test_deleted_rows_are_dropped_and_new_rows_numbered_after_the_others():
    data = formset_data(
        row_formset(rows=[row("FName", "name", position=5), row("FNote", "remark", position=7)])
    )
    data.update(
        {
            "rows-TOTAL_FORMS": "3",
            "rows-1-DELETE": "on",
            "rows-2-target_path": "FTEL",
            "rows-2-source_path": "tel",
            "rows-2-transform": "direct",
        }
    )

    formset = row_formset(data=data)

    assert formset.is_valid(), formset.errors
    assert [(r["position"], r["target_path"]) for r in formset.rows()] == [(5, "FName"), (15, "FTEL")]


def test_a_mapping_without_rows_is_refused():
    formset = submit([row("FName", "name")], **{"rows-0-DELETE": "on"})

    assert not formset.is_valid()
    assert "at least one mapping row" in formset.non_form_errors()[0]
