"""Value maps and cross-references for a page of records, in a bounded number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from syncjobs.engine.context import cross_references_for, fetch_lookups, mapping_context, value_maps
from syncjobs.mapping import MappingFailed, apply_mapping
from tests.syncjobs.factories import (
    make_cross_reference,
    make_flow,
    make_k3cloud,
    make_value_map,
)

pytestmark = pytest.mark.django_db


def test_fetch_lookups_costs_one_query_per_flow_and_key(django_assert_num_queries):
    customers = make_flow("customers")
    products = make_flow("products", source_object="ProductObj", target_object="BD_MATERIAL")
    for i in range(30):
        make_cross_reference(customers, f"acc{i}", f"CUST{i:04d}")
        make_cross_reference(products, f"p{i}", f"MAT{i:04d}", target_id=f"pt{i}")
    requests = {
        ("customers", "source_id"): {f"acc{i}" for i in range(25)} | {"unknown"},
        ("products", "target_id"): {"pt3", "pt4"},
        ("ghost", "source_id"): {"x"},
    }
    with django_assert_num_queries(3):  # the flows, then one per known flow
        found = fetch_lookups(requests)
    assert len(found[("customers", "source_id")]) == 25
    assert found[("customers", "source_id")]["acc7"]["target_number"] == "CUST0007"
    assert found[("products", "target_id")]["pt3"]["source_id"] == "p3"
    assert found[("ghost", "source_id")] == {}


def test_cross_references_are_shared_by_flows_between_the_same_objects():
    first = make_flow("customers")
    again = make_flow("customers-full", source=first.source_connector, target=first.target_connector)
    make_cross_reference(first, "acc1", "CUST1")
    other_target = make_flow("customers-copy", source=first.source_connector, target=make_k3cloud("erp2"))
    assert cross_references_for(again).count() == 1
    assert cross_references_for(other_target).count() == 0


def test_mapping_context_feeds_a_page_to_the_pure_evaluation():
    customers = make_flow("customers")
    make_cross_reference(customers, "acc1", "CUST0001")
    make_value_map("levels", {"1": "VIP"})
    rows = [
        {
            "target_path": "FCustId.FNumber",
            "source_path": "account_id",
            "transform": "lookup",
            "params": {"flow": "customers"},
        },
        {
            "target_path": "F_Level",
            "source_path": "level",
            "transform": "value_map",
            "params": {"map": "levels"},
        },
    ]
    page = [{"account_id": "acc1", "level": "1"}, {"account_id": "acc2", "level": "1"}]
    with CaptureQueriesContext(connection) as captured:
        context = mapping_context(rows, page, "Asia/Shanghai")
    assert len(captured) == 4  # value maps + entries, flows, cross-references
    assert apply_mapping(rows, page[0], context) == {"FCustId": {"FNumber": "CUST0001"}, "F_Level": "VIP"}
    with pytest.raises(MappingFailed) as caught:
        apply_mapping(rows, page[1], context)
    assert caught.value.missing_references == [{"flow": "customers", "by": "source_id", "value": "acc2"}]


def test_value_maps_load_only_those_asked_for():
    make_value_map("levels", {"1": "VIP"})
    make_value_map("units", {"个": "PCS"})
    assert value_maps({"units"}) == {"units": {"个": "PCS"}}
