"""Link rows between documents (``FEntity_Link``) and the quantities they write back.

A delivery notice line made from a sales order line carries a link row naming the rule,
the source table, bill and entry; the order line's "delivered" quantity (FDeliQty) is the
sum of the linked quantities. The same holds from delivery notices to outbound documents
(FSumOutQty). Saving, deleting or pushing a linked document keeps those sums right.
"""

from dataclasses import dataclass
from decimal import Decimal

from sandbox.k3cloud.metadata import bills, get_form
from sandbox.k3cloud.models import Record


@dataclass(frozen=True)
class Rule:
    """A conversion rule (转换规则) from one document's lines to another's."""

    rule_id: str
    source: str
    source_entity: str
    target: str
    target_entity: str
    source_qty: str
    target_qty: str
    write_back: str  # the source line's field that sums what was pushed on

    @property
    def table(self):
        """The source entry table's name, as link rows write it (from the form's metadata)."""
        return get_form(self.source).entity(self.source_entity).table


RULES = {
    rule.rule_id.lower(): rule
    for rule in (
        Rule(
            rule_id="SaleOrder-DeliveryNotice",
            source=bills.SALE_ORDER,
            source_entity="FSaleOrderEntry",
            target=bills.DELIVERY_NOTICE,
            target_entity="FEntity",
            source_qty="FQty",
            target_qty="FQty",
            write_back="FDeliQty",
        ),
        Rule(
            rule_id="DeliveryNotice-OutStock",
            source=bills.DELIVERY_NOTICE,
            source_entity="FEntity",
            target=bills.OUTSTOCK,
            target_entity="FEntity",
            source_qty="FQty",
            target_qty="FRealQty",
            write_back="FSumOutQty",
        ),
    )
}


def rule_for_link(link, prefix):
    """The Rule a link row follows: by its rule id, else by its source table name."""
    rule = RULES.get(str(link.get(f"{prefix}_FRuleId") or "").lower())
    if rule:
        return rule
    table = str(link.get(f"{prefix}_FSTableName") or "").lower()
    return next((r for r in RULES.values() if r.table.lower() == table), None)


def linked_quantities(form_id, doc):
    """{(rule, source bill id, source entry id): quantity} over a document's link rows."""
    totals = {}
    if not doc:
        return totals
    for rule in RULES.values():
        if rule.target.lower() != form_id.lower():
            continue
        prefix = f"{rule.target_entity}_Link"
        for row in doc.get(rule.target_entity) or []:
            for link in row.get(prefix) or []:
                found = rule_for_link(link, prefix)
                if found is None:
                    continue
                key = (found, link.get(f"{prefix}_FSBillId"), link.get(f"{prefix}_FSId"))
                totals[key] = totals.get(key, Decimal(0)) + Decimal(str(row.get(found.target_qty) or 0))
    return totals


def write_back(tenant_id, form_id, before, after):
    """Move the source lines' linked quantities by the change from ``before`` to ``after``."""
    change = linked_quantities(form_id, after)
    for key, qty in linked_quantities(form_id, before).items():
        change[key] = change.get(key, Decimal(0)) - qty
    change = {key: qty for key, qty in change.items() if qty}
    if not change:
        return
    sources = Record.objects.filter(tenant_id=tenant_id, id__in={bill for _, bill, _ in change})
    for record in sources:
        _apply(
            record, {(rule, entry): qty for (rule, bill, entry), qty in change.items() if bill == record.id}
        )


def _apply(record, changes):
    for (rule, entry_id), qty in changes.items():
        for row in record.data.get(rule.source_entity) or []:
            if row.get("FEntryID") == entry_id:
                row[rule.write_back] = str(Decimal(str(row.get(rule.write_back) or 0)) + qty)
    record.save(update_fields=["data"])


def pushed(row, rule):
    """How much of a source line has already gone into documents of the rule's target."""
    return Decimal(str(row.get(rule.write_back) or 0))
