import json
from pathlib import Path

from connectors.fxiaoke.describe import parse_describe, parse_object_list

FIXTURES = Path(__file__).parent / "fixtures"


def load(name):
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def test_it_reads_the_documented_describe_shape():
    described = parse_describe(load("describe_product_nested.json"))
    assert described["api_name"] == "ProductObj" and described["label"] == "产品"
    fields = {f["api_name"]: f for f in described["fields"]}
    assert fields["price"] == {
        "api_name": "price",
        "label": "标准价格",
        "type": "currency",
        "required": True,
        "readonly": False,
        "custom": False,
        "active": True,
        "options": [],
        "target_api_name": None,
        "decimal_places": 2,
    }
    assert fields["field_Ab12c__c"]["active"] is False
    assert fields["field_Ab12c__c"]["custom"] is True


def test_it_offers_only_usable_options_as_label_and_value():
    fields = {f["api_name"]: f for f in parse_describe(load("describe_product_nested.json"))["fields"]}
    assert fields["unit"]["options"] == [
        {"label": "个", "value": "wuU61s1ex"},
        {"label": "辆", "value": "18"},
    ]


def test_it_reads_the_flat_shape_with_a_field_list_lookups_and_details():
    described = parse_describe(load("describe_order_flat.json"))
    assert described["api_name"] == "SalesOrderObj" and described["label"] == "销售订单"
    fields = {f["api_name"]: f for f in described["fields"]}
    assert fields["account_id"]["target_api_name"] == "AccountObj"
    assert fields["order_status"]["options"][1] == {"label": "草稿", "value": "1"}
    assert described["details"] == [{"api_name": "SalesOrderProductObj", "label": "订单产品"}]


def test_it_lists_objects_from_the_documented_shape():
    objects = parse_object_list(load("object_list_nested.json"))
    assert [o["api_name"] for o in objects] == ["AccountObj", "LeadsObj", "object_Ab12c__c"]
    assert objects[0] == {
        "api_name": "AccountObj",
        "label": "客户",
        "custom": False,
        "define_type": "package",
        "active": True,
    }
    assert objects[2]["custom"] is True and objects[2]["active"] is False


def test_it_lists_objects_from_a_top_level_payload():
    objects = parse_object_list(load("object_list_top.json"))
    assert objects == [
        {
            "api_name": "SalesOrderObj",
            "label": "销售订单",
            "custom": False,
            "define_type": "package",
            "active": True,
        }
    ]
