"""IN lists of literals are looked up by hash, with exactly the pairwise comparison's meaning."""

from datetime import date
from decimal import Decimal

from sandbox.k3cloud.query.predicates import _equal, _Members

LISTED = [Decimal("1.0"), Decimal("20"), "Abc", "ＸＹ", date(2026, 1, 2), None]
PROBES = [
    Decimal("1"),
    Decimal("1.00"),
    Decimal("2"),
    "20",
    "abc",
    "ABC",
    "xy",
    "ｘｙ",
    "1.0",
    date(2026, 1, 2),
    "other",
]


def test_membership_matches_comparing_with_every_listed_value():
    members = _Members(LISTED)

    found = {repr(probe): probe in members for probe in PROBES}

    expected = {repr(p): any(_equal(p, v) for v in LISTED if v is not None) for p in PROBES}
    assert found == expected
    assert found["Decimal('1')"] and found["'20'"] and found["'1.0'"] and not found["'other'"]
