"""What the ERP computes on save: line amounts and taxes, bill totals, receipt totals.

Money is Decimal throughout: prices kept to 6 places, amounts to 2, half-up as the ERP
rounds. With ``FIsIncludedTax`` (the default) the tax-inclusive price is the one the
amounts follow; a line that was given only the net price gets its inclusive price from it.

Every computation runs with room for any product of two column values (``EXACT_DIGITS``),
so a huge quantity times a huge price gives a huge amount rather than an arithmetic error;
the save then refuses the amount that does not fit its column, as a row error.
"""

from decimal import ROUND_HALF_UP, Decimal, localcontext
from functools import wraps

EXACT_DIGITS = 60  # two decimal(23,10) values multiplied need 46 digits

CENT = Decimal("0.01")
PRICE_PLACES = Decimal("0.000001")
HUNDRED = Decimal(100)


def _dec(value):
    return Decimal(str(value)) if value not in (None, "") else Decimal(0)


def _money(value):
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def price_line(row, qty_key, included):
    """Fill a line's prices, amount, tax and total from its quantity, price and tax rate.

    ``row["_inputs"]`` (set by the save pipeline) names the keys this save wrote.
    """
    inputs = row.get("_inputs", ())
    qty, rate = _dec(row.get(qty_key)), _dec(row.get("FEntryTaxRate"))
    factor = 1 + rate / HUNDRED
    if row.get("FIsFree"):
        row["FPrice"] = row["FTaxPrice"] = "0"
    elif included and ("FTaxPrice" in inputs or "FPrice" not in inputs) and row.get("FTaxPrice") is not None:
        row["FPrice"] = str((_dec(row["FTaxPrice"]) / factor).quantize(PRICE_PLACES, ROUND_HALF_UP))
    else:
        row["FTaxPrice"] = str((_dec(row.get("FPrice")) * factor).quantize(PRICE_PLACES, ROUND_HALF_UP))
    if included:
        total = _money(qty * _dec(row["FTaxPrice"]))
        amount = _money(total / factor)
    else:
        amount = _money(qty * _dec(row.get("FPrice")))
        total = amount + _money(amount * rate / HUNDRED)
    row["FAmount"], row["FTaxAmount"], row["FAllAmount"] = str(amount), str(total - amount), str(total)


def price_bill(doc, entity, qty_key):
    """Price every line of ``entity`` and put the bill's totals in its header."""
    included = doc.get("FIsIncludedTax", True) is not False
    totals = [Decimal(0), Decimal(0)]
    for row in doc.get(entity) or []:
        price_line(row, qty_key, included)
        totals[0] += _dec(row["FAmount"])
        totals[1] += _dec(row["FAllAmount"])
    doc["FBillAmount"] = str(totals[0])
    doc["FBillTaxAmount"] = str(totals[1] - totals[0])
    doc["FBillAllAmount"] = str(totals[1])


def _exact(compute):
    """Run a form's computation where no product of column values can overflow the context."""

    @wraps(compute)
    def run(doc):
        with localcontext() as context:
            context.prec = EXACT_DIGITS
            compute(doc)

    return run


@_exact
def sale_order(doc):
    """Order lines and totals; a single receivable plan row for the whole amount by default."""
    price_bill(doc, "FSaleOrderEntry", "FQty")
    plans = doc.get("FSaleOrderPlan") or []
    if not plans or (len(plans) == 1 and plans[0].get("_auto")):
        plan = plans[0] if plans else {"_auto": True, "FMustDate": doc.get("FDate")}
        plan.update(FNeedRecAdvance=False, FRecAdvanceRate="100", FRecAmount=doc["FBillAllAmount"])
        doc["FSaleOrderPlan"] = [plan]
        return
    for plan in plans:
        if plan.get("FRecAmount") in (None, "") and plan.get("FRecAdvanceRate") not in (None, ""):
            share = _dec(doc["FBillAllAmount"]) * _dec(plan["FRecAdvanceRate"]) / HUNDRED
            plan["FRecAmount"] = str(_money(share))


@_exact
def delivery_notice(doc):
    price_bill(doc, "FEntity", "FQty")


@_exact
def outstock(doc):
    price_bill(doc, "FEntity", "FRealQty")


@_exact
def receive_bill(doc):
    """The receipt's header amount is the sum of its lines' received amounts."""
    total = sum((_dec(row.get("FRECAMOUNTFOR_E")) for row in doc.get("FRECEIVEBILLENTRY") or []), Decimal(0))
    doc["FRECAMOUNTFOR"] = str(_money(total))
