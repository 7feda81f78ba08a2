"""The naive way to integrate, as the benchmark's baseline: one record at a time.

What simple integrations do: list the records, then for each one read it and save it
with one K3Cloud ``Save``; no batching, no lookups ahead, no post-actions. The mapping is
written by hand (a few fields), so its own cost is as small as it can be: the comparison
is about how the two ways use the APIs, not about mapping code.
"""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from connectors.errors import ConnectorError

BUSINESS_ZONE = ZoneInfo("Asia/Shanghai")
PAGE = 100


class NaiveIntegration:
    """CRM accounts and orders into the ERP, one read and one Save per record."""

    def __init__(self, crm, erp, organisation):
        self.crm = crm
        self.erp = erp
        self.organisation = organisation  # the ERP organisation the integration user works in
        self.customer_numbers = {}  # CRM account id -> ERP customer number
        self.failed = []

    def customers(self, limit=None):
        """Sync up to ``limit`` accounts; return how many were handled."""
        done = 0
        for row in self.crm.query("AccountObj", field_projection=["_id"], page_size=PAGE):
            if limit is not None and done >= limit:
                break
            account = self.crm.get("AccountObj", row["_id"])
            saved = self._save("BD_Customer", customer_model(account), row["_id"])
            if saved is not None:
                self.customer_numbers[row["_id"]] = saved.number
            done += 1
        return done

    def orders(self, limit=None):
        """Sync up to ``limit`` orders whose customer this integration synced; return how many."""
        products = self._product_codes()
        fields = ["_id", "name", "account_id", "order_time", "delivery_date"]
        done = 0
        for order in self.crm.query("SalesOrderObj", field_projection=fields, page_size=PAGE):
            if limit is not None and done >= limit:
                break
            customer = self.customer_numbers.get(order.get("account_id"))
            if customer is None:
                continue  # its customer is outside the records this run was asked to sync
            lines = list(self.crm.query("SalesOrderProductObj", [("order_id", "EQ", [order["_id"]])]))
            model = order_model(order, lines, customer, products, self.organisation)
            self._save("SAL_SaleOrder", model, order["_id"])
            done += 1
        return done

    def _product_codes(self):
        rows = self.crm.query("ProductObj", field_projection=["_id", "product_code"], page_size=PAGE)
        return {row["_id"]: row.get("product_code") for row in rows}

    def _save(self, form_id, model, source_id):
        try:
            return self.erp.save(form_id, model)
        except ConnectorError as error:
            self.failed.append({"form": form_id, "source_id": source_id, "error": str(error)[:200]})
            return None


def customer_model(account):
    name = account.get("name") or ""
    tax_code = account.get("field_x2Tax__c") or ""
    return {
        "FName": name,
        "FSOCIALCRECODE": tax_code,
        "FTAXREGISTERCODE": tax_code,
        "FINVOICETITLE": name,
        "FCustTypeId": {"FNumber": "KHLB001_SYS"},
        "FTEL": account.get("tel") or "",
        "FADDRESS": account.get("address") or "",
        "FTRADINGCURRID": {"FNumber": "PRE001"},
    }


def order_model(order, lines, customer_number, product_codes, organisation):
    # The customers were saved in the user's organisation, so the orders are sold from it too.
    delivery = _day(order.get("delivery_date"))
    return {
        "FBillNo": order["name"],
        "FDate": _day(order.get("order_time")),
        "FSaleOrgId": {"FNumber": organisation},
        "FCustId": {"FNumber": customer_number},
        "FSaleOrderFinance": {"FSettleCurrId": {"FNumber": "PRE001"}, "FIsIncludedTax": True},
        "FSaleOrderEntry": [
            {
                "FMaterialId": {"FNumber": product_codes.get(line.get("product_id"))},
                "FQty": line.get("quantity"),
                "FTaxPrice": line.get("sales_price"),
                "FEntryTaxRate": "13",
                "FDeliveryDate": delivery,
            }
            for line in lines
        ],
    }


def _day(milliseconds):
    if milliseconds in (None, ""):
        return None
    moment = datetime.fromtimestamp(int(milliseconds) / 1000, tz=UTC).astimezone(BUSINESS_ZONE)
    return moment.strftime("%Y-%m-%d")
