"""How a mapping path names a field of the metadata (no system asked)."""

import pytest

from syncjobs.queries.metadata import by_path, find_field
from tests.syncjobs.metadata_support import field

FIELDS = by_path(
    [
        field("FName"),
        field("FCustId.FNumber", "ref"),
        field("SubHeadEntity.FBaseUnitId.FNumber", "ref"),
        field("FEntity[].FQty", "number"),
        field("FEntity[].FStockID.FNumber", "ref"),
        field("owner", "list"),
        field("owner__r", "other"),
    ]
)


@pytest.mark.parametrize(
    ("path", "found"),
    [
        ("FName", "FName"),
        ("fname", "FName"),
        ("FCustId.FName", "FCustId.FNumber"),
        ("FBaseUnitId.FNumber", "SubHeadEntity.FBaseUnitId.FNumber"),
        ("FEntity.0.FQty", "FEntity[].FQty"),
        ("FEntity.0.FStockID.FName", "FEntity[].FStockID.FNumber"),
        ("owner.0", "owner"),
        ("owner__r.id", "owner__r"),
    ],
)
def test_a_path_names_the_field_the_engine_reads_it_from(path, found):
    assert find_field(FIELDS, path)["path"] == found


@pytest.mark.parametrize("path", ["FNmae", "FName.FNumber", "FEntity[].FPrice", "acount_no"])
def test_a_path_no_field_holds_is_not_found(path):
    assert find_field(FIELDS, path) is None
