"""Pairing documents of the two systems and naming each difference (pure, no database)."""

from datetime import date
from decimal import Decimal

from syncjobs.models import Problem
from syncjobs.operations.reconciliation.matching import compare, same_amount
from syncjobs.operations.reconciliation.reading import Document, to_amount, to_day

DAY = date(2027, 3, 10)


def docs(*items):
    return {doc_id: Document(doc_id, number, DAY, Decimal(amount)) for doc_id, number, amount in items}


def problems(result):
    return sorted(
        (d.problem, d.crm.number if d.crm else "", d.erp.number if d.erp else "") for d in result.differences
    )


def test_documents_with_the_same_number_and_amount_agree():
    result = compare("order", docs(("c1", "SO-1", "100.00")), docs(("e1", "so-1", "100")), links={})

    assert (result.matched, result.differences) == (1, [])
    assert result.totals()["crm"] == {"count": 1, "amount": "100.00"}


def test_a_cross_reference_pairs_documents_whose_numbers_differ():
    crm = docs(("c1", "SO-1", "100"), ("c2", "SO-2", "50"))
    erp = docs(("e7", "XSDD-7", "100"), ("e8", "SO-2", "50"))

    result = compare("order", crm, erp, links={"c1": "e7"})

    assert result.matched == 2 and result.differences == []


def test_each_kind_of_difference_is_named():
    crm = docs(("c1", "SO-1", "100"), ("c2", "SO-2", "50"), ("c3", "SO-3", "70"))
    erp = docs(("e1", "SO-1", "100"), ("e2", "SO-2", "45.5"), ("e9", "SO-9", "10"))

    result = compare("order", crm, erp, links={})

    assert problems(result) == [
        (Problem.AMOUNT_DIFFERS, "SO-2", "SO-2"),
        (Problem.MISSING_IN_CRM, "", "SO-9"),
        (Problem.MISSING_IN_ERP, "SO-3", ""),
    ]
    totals = result.totals()
    assert (totals["crm"]["amount"], totals["erp"]["amount"]) == ("220.00", "155.50")
    assert (totals["matched"], totals[Problem.MISSING_IN_ERP], totals[Problem.AMOUNT_DIFFERS]) == (2, 1, 1)


def test_a_linked_partner_dated_in_another_period_is_not_called_missing():
    crm = docs(("c1", "SO-1", "100"))
    april = {"e1": Document("e1", "SO-1", date(2027, 4, 1), Decimal(100))}

    result = compare("order", crm, {}, links={"c1": "e1"}, erp_elsewhere=april)

    assert problems(result) == [(Problem.DATE_DIFFERS, "SO-1", "SO-1")]


def test_amounts_compare_to_the_cent_and_a_missing_amount_only_equals_another():
    assert same_amount(Decimal("10.004"), Decimal("10"))
    assert not same_amount(Decimal("10.01"), Decimal("10"))
    assert not same_amount(None, Decimal(0)) and same_amount(None, None)


def test_values_read_from_either_system_become_days_and_exact_amounts():
    assert to_day(1804608000000) == date(2027, 3, 10)  # ms epoch of 2027-03-10 00:00 Beijing time
    assert to_day("2027-03-10T00:00:00") == date(2027, 3, 10)
    assert to_day("") is None and to_day("not a date") is None
    assert to_amount(0.1) == Decimal("0.1") and to_amount("1,0") is None
