"""Documents planted straight into the sandboxes through the API clients, as a person or another
program would create them, without the hub's sync."""

from datetime import date, datetime, time
from decimal import Decimal
from zoneinfo import ZoneInfo

from syncjobs.adapters.clients import build_client

BEIJING = ZoneInfo("Asia/Shanghai")


def ms(day):
    return int(datetime.combine(day, time.min, tzinfo=BEIJING).timestamp() * 1000)


class Planter:
    """Creates orders through the clients of a CRM and an ERP connector."""

    def __init__(self, crm, erp):
        self.crm = build_client(crm)
        self.erp = build_client(erp)
        self.account_id = next(iter(self.crm.query("AccountObj", [], field_projection=["_id"], page_size=1)))[
            "_id"
        ]
        self.customer = next(
            iter(self.erp.query("BD_Customer", ["FNumber"], "", "FCUSTID ASC", page_size=1))
        )["FNumber"]
        self.material = next(
            iter(self.erp.query("BD_MATERIAL", ["FNumber"], "", "FMATERIALID ASC", page_size=1))
        )["FNumber"]

    def crm_order(self, number, day, amount):
        """A CRM sales order; returns its ``_id``."""
        data = {
            "name": number,
            "account_id": self.account_id,
            "order_time": ms(day),
            "order_amount": str(amount),
        }
        return self.crm.create("SalesOrderObj", data)

    def erp_order(self, number, day, amount):
        """An ERP sales order of one line whose tax-inclusive total is ``amount``; returns its FID."""
        model = {
            "FBillNo": number,
            "FDate": day.isoformat(),
            "FCustId": {"FNumber": self.customer},
            "FSaleOrderEntry": [
                {"FMaterialId": {"FNumber": self.material}, "FQty": 1, "FTaxPrice": str(Decimal(amount))}
            ],
        }
        return str(self.erp.save("SAL_SaleOrder", model).id)

    def close(self):
        self.crm.close()
        self.erp.close()


MARCH = (date(2027, 3, 1), date(2027, 3, 31))
