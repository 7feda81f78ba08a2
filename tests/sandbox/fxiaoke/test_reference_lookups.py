"""Detail lines looked up by their master (EQ / IN on a reference): exactly the lines of
those masters, narrowed in SQL and still checked one by one."""

from tests.sandbox.fxiaoke.conftest import flt

LINES = "SalesOrderProductObj"


def test_lines_are_found_by_their_orders_ids(fx):
    lines = fx.rows(LINES, [], limit=100)
    orders = sorted({line["order_id"] for line in lines})
    wanted = orders[:2]

    by_in = fx.rows(LINES, [flt("order_id", "IN", *wanted, "no-such-order")], limit=100)
    by_eq = fx.rows(LINES, [flt("order_id", "EQ", wanted[0])], limit=100)
    not_in = fx.rows(LINES, [flt("order_id", "NIN", *wanted)], limit=100)

    expected = sorted(line["_id"] for line in lines if line["order_id"] in wanted)
    assert sorted(line["_id"] for line in by_in) == expected and expected
    assert {line["order_id"] for line in by_eq} == {wanted[0]}
    assert len(not_in) == len(lines) - len(expected)
