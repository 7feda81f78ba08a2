"""The FilterString grammar: tokens, trees, errors and LIKE — pure, no HTTP."""

from decimal import Decimal

import pytest

from sandbox.k3cloud import filters
from sandbox.k3cloud.filters import (
    And,
    Between,
    Compare,
    FieldName,
    FilterSyntaxError,
    InList,
    IsNull,
    Like,
    Literal,
    Not,
    Or,
    parse,
)
from sandbox.k3cloud.query.predicates import like


def f(name):
    return FieldName(name)


def lit(value):
    return Literal(Decimal(value) if isinstance(value, (int, float)) else value)


@pytest.mark.parametrize(
    ("text", "tree"),
    [
        ("FNumber = 'C001'", Compare(f("FNumber"), "=", lit("C001"))),
        ("FQty<>5", Compare(f("FQty"), "<>", lit(5))),
        ("FQty != 5", Compare(f("FQty"), "<>", lit(5))),
        ("FQty >= -2.5", Compare(f("FQty"), ">=", Literal(Decimal("-2.5")))),
        ("FQty<=.5", Compare(f("FQty"), "<=", Literal(Decimal(".5")))),
        ("FQty > 1 and FQty < 9", And((Compare(f("FQty"), ">", lit(1)), Compare(f("FQty"), "<", lit(9))))),
        ("FCustId.FNumber = 'A'", Compare(f("FCustId.FNumber"), "=", lit("A"))),
        ("FName like '%公司%'", Like(f("FName"), lit("%公司%"))),
        ("FName NOT LIKE N'上海%'", Like(f("FName"), lit("上海%"), negated=True)),
        (
            "FDocumentStatus in ('A','B')",
            InList(f("FDocumentStatus"), (lit("A"), lit("B"))),
        ),
        ("FID not in (1, 2)", InList(f("FID"), (lit(1), lit(2)), negated=True)),
        ("FApproveDate is null", IsNull(f("FApproveDate"))),
        ("FApproveDate IS NOT NULL", IsNull(f("FApproveDate"), negated=True)),
        (
            "FDate between '2025-01-01' and '2025-01-31'",
            Between(f("FDate"), lit("2025-01-01"), lit("2025-01-31")),
        ),
        ("not FQty = 1", Not(Compare(f("FQty"), "=", lit(1)))),
        ("FName = 'O''Brien'", Compare(f("FName"), "=", lit("O'Brien"))),
        ("1=1", Compare(lit(1), "=", lit(1))),
        ("FQty = FMustQty", Compare(f("FQty"), "=", f("FMustQty"))),
        ("FQty = null", Compare(f("FQty"), "=", Literal(None))),
        ("  ", None),
        ("", None),
    ],
)
def test_it_parses_each_construct(text, tree):
    assert parse(text) == tree


def test_and_binds_tighter_than_or():
    tree = parse("FA = 1 or FB = 2 and FC = 3")
    assert tree == Or(
        (Compare(f("FA"), "=", lit(1)), And((Compare(f("FB"), "=", lit(2)), Compare(f("FC"), "=", lit(3)))))
    )


def test_parentheses_group():
    tree = parse("(FA = 1 or FB = 2) and FC = 3")
    assert tree == And(
        (Or((Compare(f("FA"), "=", lit(1)), Compare(f("FB"), "=", lit(2)))), Compare(f("FC"), "=", lit(3)))
    )


def test_keywords_ignore_case_and_fields_keep_theirs():
    tree = parse("fModifyDate >= '2025-01-01' AnD FDocumentStatus='C' Or FForbidStatus = 'B'")
    assert isinstance(tree, Or)
    assert tree.items[0].items[0].left == f("fModifyDate")


def test_nested_not_and_parentheses():
    assert parse("not (not (FA = 1))") == Not(Not(Compare(f("FA"), "=", lit(1))))


def test_minus_after_an_operand_is_not_a_sign():
    with pytest.raises(FilterSyntaxError):
        parse("FA -1")  # no arithmetic in the grammar


@pytest.mark.parametrize(
    ("text", "near"),
    [
        ("FNumber = ", "="),
        ("FNumber 'x'", "'x'"),
        ("FNumber = 'unterminated", "'unterminated"),
        ("(FA = 1", "1"),
        ("FA = 1)", ")"),
        ("FA in 1", "1"),
        ("FA in ()", ")"),
        ("FA = 1 and", "and"),
        ("FA == 1", "="),
        ("FA = 1 ; drop table x", ";"),
        ("FA is 1", "1"),
        ("FA between 1 or 2", "or"),
        ("and = 1", "and"),
        ("FA = 12abc", "12a"),
    ],
)
def test_syntax_errors_name_the_place_like_sql_server(text, near):
    with pytest.raises(FilterSyntaxError) as raised:
        parse(text)
    assert raised.value.near == near
    assert str(raised.value) == f"“{near}”附近有语法错误。"


def test_field_names_lists_every_field_once_per_use():
    tree = parse("FA = 1 and (FB.FNumber like 'x%' or FC in (FD, 2)) and FE between FF and 3 and FG is null")
    assert filters.field_names(tree) == ["FA", "FB.FNumber", "FC", "FD", "FE", "FF", "FG"]


@pytest.mark.parametrize(
    ("text", "pattern", "matches"),
    [
        ("上海华信科技有限公司", "%华信%", True),
        ("上海华信科技有限公司", "上海%", True),
        ("上海华信科技有限公司", "%公司", True),
        ("上海华信科技有限公司", "北京%", False),
        ("CUST0001", "cust%", True),
        ("CUST0001", "CUST000_", True),
        ("CUST0001", "CUST00_", False),
        ("CUST0001", "CUST[0-9]%", True),
        ("CUSTX001", "CUST[0-9]%", False),
        ("CUSTX001", "CUST[^0-9]%", True),
        ("", "%", True),
        ("a%b", "a%b", True),
        ("abc", "abc", True),
        ("abc", "ab", False),
    ],
)
def test_like_follows_sql(text, pattern, matches):
    assert like(text, pattern) is matches
