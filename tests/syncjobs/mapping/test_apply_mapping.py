import pytest

from syncjobs.mapping import (
    MappingConfigError,
    MappingContext,
    MappingFailed,
    apply_mapping,
    compile_mapping,
    lookup_requests,
    value_map_slugs,
)

ORDER = {
    "_id": "6650a1b2c3d4e5f601234567",
    "name": "SO-2024-001",
    "account_id": "acc1",
    "order_time": 1714492800000,
    "owner__r": {"name": "Zhang San"},
    "level": "1",
    "details": {
        "SalesOrderProductObj": [
            {"product_id": "p1", "quantity": "2", "sales_price": "10.005"},
            {"product_id": "p2", "quantity": 3, "sales_price": "99"},
        ]
    },
}
ROWS = [
    {"target_path": "FBillNo", "source_path": "name", "required": True},
    {
        "target_path": "FCustId.FNumber",
        "source_path": "account_id",
        "transform": "lookup",
        "params": {"flow": "customers"},
        "required": True,
    },
    {"target_path": "FDate", "source_path": "order_time", "transform": "datetime"},
    {"target_path": "FSaleOrgId.FNumber", "transform": "constant", "params": {"value": "100"}},
    {"target_path": "FNote", "transform": "template", "params": {"template": "CRM {name} by {owner__r}"}},
    {"target_path": "F_Level", "source_path": "level", "transform": "value_map", "params": {"map": "levels"}},
    {
        "target_path": "FSaleOrderEntry[].FMaterialId.FNumber",
        "source_path": "details.SalesOrderProductObj[].product_id",
        "transform": "lookup",
        "params": {"flow": "products", "by": "target_id", "return": "source_number"},
        "required": True,
    },
    {
        "target_path": "FSaleOrderEntry[].FQty",
        "source_path": "details.SalesOrderProductObj[].quantity",
        "transform": "number",
        "params": {"decimals": 2},
    },
    {
        "target_path": "FSaleOrderEntry[].FTaxPrice",
        "source_path": "details.SalesOrderProductObj[].sales_price",
        "transform": "number",
        "params": {"decimals": 2},
    },
    # A header value copied into every line.
    {"target_path": "FSaleOrderEntry[].FDeliveryDate", "source_path": "order_time", "transform": "datetime"},
    {
        "target_path": "FSaleOrderEntry[].FEntryNote",
        "transform": "template",
        "params": {"template": "{name}"},
    },
]
CONTEXT = MappingContext(
    value_maps={"levels": {"1": "VIP"}},
    lookups={
        ("customers", "source_id"): {"acc1": {"target_number": "CUST0001"}},
        ("products", "target_id"): {"p1": {"source_number": "MAT-1"}, "p2": {"source_number": "MAT-2"}},
    },
)


def test_apply_mapping_builds_the_k3cloud_order_with_lines():
    assert apply_mapping(ROWS, ORDER, CONTEXT) == {
        "FBillNo": "SO-2024-001",
        "FCustId": {"FNumber": "CUST0001"},
        "FDate": "2024-05-01 00:00:00",
        "FSaleOrgId": {"FNumber": "100"},
        "FNote": "CRM SO-2024-001 by Zhang San",
        "F_Level": "VIP",
        "FSaleOrderEntry": [
            {
                "FMaterialId": {"FNumber": "MAT-1"},
                "FQty": "2.00",
                "FTaxPrice": "10.01",
                "FDeliveryDate": "2024-05-01 00:00:00",
                "FEntryNote": "SO-2024-001",
            },
            {
                "FMaterialId": {"FNumber": "MAT-2"},
                "FQty": "3.00",
                "FTaxPrice": "99.00",
                "FDeliveryDate": "2024-05-01 00:00:00",
                "FEntryNote": "SO-2024-001",
            },
        ],
    }


def test_apply_mapping_reports_every_failing_field_with_its_line():
    record = {
        **ORDER,
        "name": "",
        "details": {"SalesOrderProductObj": [{"product_id": "p1", "quantity": "x"}]},
    }
    with pytest.raises(MappingFailed) as caught:
        apply_mapping(ROWS, record, MappingContext(value_maps={"levels": {"1": "VIP"}}))
    errors = {(e.field, e.line): e for e in caught.value.errors}
    assert set(errors) == {
        ("FBillNo", None),
        ("FCustId.FNumber", None),
        ("FSaleOrderEntry[].FMaterialId.FNumber", "1"),
        ("FSaleOrderEntry[].FQty", "1"),
    }
    assert "source field name is empty" in str(errors[("FBillNo", None)])
    assert str(errors[("FSaleOrderEntry[].FQty", "1")]).startswith("Field FSaleOrderEntry[].FQty, line 1:")
    assert caught.value.missing_references == [
        {"flow": "customers", "by": "source_id", "value": "acc1"},
        {"flow": "products", "by": "target_id", "value": "p1"},
    ]


def test_error_messages_are_translated_when_read():
    from django.utils import translation

    with pytest.raises(MappingFailed) as caught:
        apply_mapping([{"target_path": "FQty", "source_path": "q", "transform": "number"}], {"q": "x"})
    with translation.override("en"):
        english = str(caught.value)
    with translation.override("zh-hans"):
        chinese = str(caught.value)
    assert english.startswith("Field FQty:")
    assert "FQty" in chinese


def test_empty_values_are_omitted_but_lines_are_kept():
    rows = [
        {"target_path": "FRemark", "source_path": "remark"},
        {"target_path": "Lines[].Qty", "source_path": "items[].qty"},
    ]
    assert apply_mapping(rows, {"items": [{"qty": None}, {"qty": 1}]}) == {"Lines": [{}, {"Qty": 1}]}


def test_header_rows_add_no_lines_when_no_line_row_creates_them():
    rows = [{"target_path": "Lines[].Date", "source_path": "date"}]
    assert apply_mapping(rows, {"date": "2024-01-01"}) == {}


EMPTIED_ROWS = [
    {"target_path": "FRemark", "source_path": "remark"},
    {"target_path": "Lines[].Qty", "source_path": "details.items[].qty"},
    {"target_path": "Lines[].Date", "source_path": "date"},
]


def test_a_source_list_that_was_emptied_maps_to_an_empty_target_list():
    record = {"remark": "r", "details": {"items": []}, "date": "2024-01-01"}
    assert apply_mapping(EMPTIED_ROWS, record) == {"FRemark": "r", "Lines": []}


def test_a_source_that_does_not_carry_the_list_leaves_the_target_list_out():
    assert apply_mapping(EMPTIED_ROWS, {"remark": "r", "date": "2024-01-01"}) == {"FRemark": "r"}


def test_nested_lines_keep_their_two_level_index():
    rows = [{"target_path": "A[].B[].x", "source_path": "a[].b[].y"}]
    record = {"a": [{"b": [{"y": 1}, {"y": 2}]}, {"b": [{"y": 3}]}]}
    assert apply_mapping(rows, record) == {"A": [{"B": [{"x": 1}, {"x": 2}]}, {"B": [{"x": 3}]}]}


def test_compile_mapping_rejects_invalid_rows_naming_each():
    rows = [
        {"target_path": "FNumber", "source_path": "name"},
        {"target_path": "FNumber", "source_path": "code"},
        {"target_path": "FLines", "source_path": "lines[].qty"},
        {"target_path": "FNote", "transform": "constant"},
    ]
    with pytest.raises(MappingConfigError) as caught:
        compile_mapping(rows)
    problems = caught.value.problems
    assert set(problems) == {2, 3, 4}
    assert "already writes this target" in str(problems[2]["target_path"][0])
    assert "more lists" in str(problems[3]["source_path"][0])
    assert "“value” is required" in str(problems[4]["params"][0])
    assert "Mapping row 2, target_path" in str(caught.value)


def test_lookup_requests_collect_every_key_a_page_needs():
    second = {**ORDER, "account_id": "acc2", "details": {"SalesOrderProductObj": [{"product_id": "p3"}]}}
    assert lookup_requests(ROWS, [ORDER, second]) == {
        ("customers", "source_id"): {"acc1", "acc2"},
        ("products", "target_id"): {"p1", "p2", "p3"},
    }
    assert value_map_slugs(ROWS) == {"levels"}
    assert value_map_slugs(compile_mapping(ROWS)) == {"levels"}


def test_value_map_slugs_read_rows_not_checked_yet():
    rows = [
        {"target_path": "", "transform": "value_map", "params": {"map": "levels"}},
        {"target_path": "FGroup", "transform": "value_map", "params": {}},
        {"target_path": "FName", "source_path": "name", "params": {"map": "unused"}},
    ]
    assert value_map_slugs(rows) == {"levels"}


def test_compiled_mapping_is_reused_across_records():
    compiled = compile_mapping([{"target_path": "x", "source_path": "a"}])
    assert [apply_mapping(compiled, {"a": n}) for n in (1, 2)] == [{"x": 1}, {"x": 2}]


def test_mapping_rows_accept_model_instances():
    class Row:
        target_path, source_path, transform, params, required = "x", "a", "direct", {}, False

    assert apply_mapping([Row()], {"a": 5}) == {"x": 5}


def test_an_unexpected_fault_in_a_transform_fails_that_field_naming_the_value(monkeypatch):
    from syncjobs.mapping import transforms

    def broken(value, params, env):
        raise RecursionError("deep")

    monkeypatch.setitem(transforms.TRANSFORMS, "direct", transforms.Transform("direct", "Copy", broken))
    with pytest.raises(MappingFailed) as caught:
        apply_mapping([{"target_path": "FName", "source_path": "name"}], {"name": "ACME"})

    (error,) = caught.value.errors
    assert error.field == "FName" and error.code == "transform_failed"
    assert "ACME" in str(error) and "RecursionError" in str(error)
