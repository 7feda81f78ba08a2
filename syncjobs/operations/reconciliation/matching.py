"""Pairing a period's CRM and ERP documents of one kind, and naming what does not agree. Pure.

Documents are paired by the hub's cross-references first (the link the sync made), then by
business number (both sides carry the same number when a flow copies it). A document with a
cross-referenced partner dated in another period is reported as dated differently, not as
missing; what remains unpaired is missing on the other side.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from syncjobs.models import Problem

CENT = Decimal("0.01")


@dataclass
class Difference:
    problem: str
    crm: object = None  # a reading.Document, or None
    erp: object = None


@dataclass
class Comparison:
    kind: str
    crm_count: int = 0
    crm_amount: Decimal = Decimal(0)
    erp_count: int = 0
    erp_amount: Decimal = Decimal(0)
    matched: int = 0
    differences: list = field(default_factory=list)

    def totals(self):
        """JSON-ready totals: counts, amounts as text, and how many of each problem."""
        counts = {problem: 0 for problem in Problem.values}
        for difference in self.differences:
            counts[difference.problem] += 1
        return {
            "crm": {"count": self.crm_count, "amount": str(self.crm_amount.quantize(CENT))},
            "erp": {"count": self.erp_count, "amount": str(self.erp_amount.quantize(CENT))},
            "matched": self.matched,
            **counts,
        }


def compare(kind, crm_docs, erp_docs, links, crm_elsewhere=None, erp_elsewhere=None):
    """Compare ``{id: Document}`` of both sides; ``links`` is ``{crm id: erp id}``.

    ``crm_elsewhere`` / ``erp_elsewhere``: linked partners found outside the period.
    """
    result = Comparison(
        kind,
        crm_count=len(crm_docs),
        crm_amount=_sum(crm_docs),
        erp_count=len(erp_docs),
        erp_amount=_sum(erp_docs),
    )
    pairs, crm_left, erp_left = pair(crm_docs, erp_docs, links)
    result.matched = len(pairs)
    for crm_doc, erp_doc in pairs:
        if not same_amount(crm_doc.amount, erp_doc.amount):
            result.differences.append(Difference(Problem.AMOUNT_DIFFERS, crm_doc, erp_doc))
    reverse = {erp_id: crm_id for crm_id, erp_id in links.items()}
    for crm_id in sorted(crm_left, key=lambda i: crm_docs[i].number):
        partner = (erp_elsewhere or {}).get(links.get(crm_id))
        problem = Problem.DATE_DIFFERS if partner else Problem.MISSING_IN_ERP
        result.differences.append(Difference(problem, crm_docs[crm_id], partner))
    for erp_id in sorted(erp_left, key=lambda i: erp_docs[i].number):
        partner = (crm_elsewhere or {}).get(reverse.get(erp_id))
        problem = Problem.DATE_DIFFERS if partner else Problem.MISSING_IN_CRM
        result.differences.append(Difference(problem, partner, erp_docs[erp_id]))
    return result


def pair(crm_docs, erp_docs, links):
    """``(pairs, unpaired CRM ids, unpaired ERP ids)``: by cross-reference, then by number."""
    crm_left, erp_left, pairs = set(crm_docs), set(erp_docs), []
    for crm_id in sorted(crm_docs):
        erp_id = links.get(crm_id)
        if erp_id in erp_left:
            pairs.append((crm_docs[crm_id], erp_docs[erp_id]))
            crm_left.discard(crm_id)
            erp_left.discard(erp_id)
    by_number = {}
    for erp_id in sorted(erp_left):
        number = erp_docs[erp_id].number.casefold()
        if number:
            by_number.setdefault(number, erp_id)
    for crm_id in sorted(crm_left):
        erp_id = by_number.pop(crm_docs[crm_id].number.casefold(), None)
        if erp_id is not None and crm_docs[crm_id].number:
            pairs.append((crm_docs[crm_id], erp_docs[erp_id]))
            crm_left.discard(crm_id)
            erp_left.discard(erp_id)
    return pairs, crm_left, erp_left


def same_amount(first, second):
    """Equal to the cent; a missing amount equals only another missing one."""
    if first is None or second is None:
        return first is None and second is None
    return first.quantize(CENT) == second.quantize(CENT)


def _sum(docs):
    return sum((doc.amount for doc in docs.values() if doc.amount is not None), Decimal(0))
