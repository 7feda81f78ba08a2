"""Which value-map entries a refusal names, whatever words the ERP used for it.

The real server's text for a refused reference is not known (single source: the sandbox), so
these refusals are built with other words and shapes: the field key and the type decide.
"""

import pytest

from connectors.k3cloud.errors import DuplicateNumberError, ErpFailureError, ValidationFailedError
from syncjobs.adapters.base import SourceRecord
from syncjobs.engine.records import Item
from syncjobs.engine.refused_values import refused_entries
from syncjobs.mapping import compile_mapping
from tests.syncjobs.factories import make_value_map

pytestmark = pytest.mark.django_db

ROWS = [
    {"target_path": "FName", "source_path": "name"},
    {
        "target_path": "FCustTypeId.FNumber",
        "source_path": "type",
        "transform": "value_map",
        "params": {"map": "t"},
    },
    {
        "target_path": "FSaleOrderEntry[].FMaterialId.FNumber",
        "source_path": "lines[].product",
        "transform": "value_map",
        "params": {"map": "p"},
    },
]
MAPS = {"t": {"1": "KHLB404_SYS"}, "p": {"A": "M-404", "B": "M-002"}}


class FlowAtWork:
    """What ``refused_entries`` reads of a ``FlowContext``: the compiled mapping, the value maps."""

    def __init__(self):
        self.mapping = compile_mapping(ROWS)

    def value_maps(self):
        return MAPS


@pytest.fixture(autouse=True)
def value_maps():
    make_value_map("t", MAPS["t"], name="Customer types")
    make_value_map("p", MAPS["p"], name="Products")


def an_item(**payload):
    data = {"name": "x", "type": "1", "lines": [{"product": "A"}, {"product": "B"}]}
    sent = {
        "FName": "x",
        "FCustTypeId": {"FNumber": "KHLB404_SYS"},
        "FSaleOrderEntry": [{"FMaterialId": {"FNumber": "M-404"}}, {"FMaterialId": {"FNumber": "M-002"}}],
        **payload,
    }
    return Item(record=SourceRecord("s1", "S1", None, data), payload=sent)


def refusal(cls=ValidationFailedError, field=None, details=()):
    return cls("something the ERP said", system="k3cloud", code=11, field=field, details=list(details))


def test_a_refused_field_names_the_entry_whatever_the_text_and_the_case_of_its_key():
    [entry] = refused_entries(FlowAtWork(), an_item(), refusal(field="FCUSTTYPEID"))

    assert (entry.map, entry.name, entry.source_value, entry.target_value) == (
        "t",
        "Customer types",
        "1",
        "KHLB404_SYS",
    )
    assert (entry.source_path, entry.target_path) == ("type", "FCustTypeId.FNumber")


def test_an_unclassified_refusal_naming_the_field_in_its_details_counts_too():
    error = refusal(ErpFailureError, details=[{"field": "FMaterialId", "message": "?", "dindex": 0}])

    entries = refused_entries(FlowAtWork(), an_item(), error)

    assert [(e.map, e.source_value, e.target_value) for e in entries] == [
        ("p", "A", "M-404"),
        ("p", "B", "M-002"),
    ]


def test_a_duplicate_number_or_another_field_names_no_entry():
    item = an_item()

    assert refused_entries(FlowAtWork(), item, refusal(DuplicateNumberError, field="FCustTypeId")) == []
    assert refused_entries(FlowAtWork(), item, refusal(field="FName")) == []
    assert refused_entries(FlowAtWork(), item, refusal()) == []


def test_a_payload_edited_by_hand_away_from_the_entry_names_no_entry():
    item = an_item(FCustTypeId={"FNumber": "KHLB001_SYS"})

    assert refused_entries(FlowAtWork(), item, refusal(field="FCustTypeId")) == []
