"""Raw HTTP to the simulated K3Cloud: the literal request bodies of the spec, no client."""

import json

import pytest
import requests

SERVICE = "Kingdee.BOS.WebApi.ServicesStub."


class Erp:
    """A seeded account set of the simulated ERP and a requests session that can talk to it."""

    def __init__(self, sandbox, tenant):
        self.sandbox = sandbox
        self.tenant = tenant
        self.http = requests.Session()

    def url(self, service):
        return f"{self.sandbox.k3cloud_url}{SERVICE}{service}.common.kdsvc"

    def post(self, service, body=None, **kwargs):
        """POST ``body`` as JSON (or ``data=`` raw text) to a service; the raw Response."""
        if body is not None:
            kwargs["data"] = json.dumps(body, ensure_ascii=False).encode("utf-8")
            kwargs.setdefault("headers", {})["Content-Type"] = "application/json"
        kwargs.setdefault("timeout", 30)
        return self.http.post(self.url(service), **kwargs)

    def call(self, service, body=None, **kwargs):
        response = self.post(service, body, **kwargs)
        assert response.status_code == 200, response.text
        return response.json()

    def login(self):
        reply = self.call(
            "AuthService.ValidateUser",
            {
                "acctID": self.tenant["acct_id"],
                "username": self.tenant["username"],
                "password": self.tenant["password"],
                "lcid": 2052,
            },
        )
        assert reply["LoginResultType"] == 1, reply
        return reply

    def save(self, form_id, model, service="Save", **options):
        return self.call(
            f"DynamicFormService.{service}", {"formid": form_id, "data": {"Model": model, **options}}
        )

    def saved(self, form_id, model, **options):
        """Save and insist it worked; the (Id, Number) of the record."""
        reply = self.save(form_id, model, **options)
        status = reply["Result"]["ResponseStatus"]
        assert status["IsSuccess"], status
        return reply["Result"]["Id"], reply["Result"]["Number"]

    def op(self, service, form_id, data):
        return self.call(f"DynamicFormService.{service}", {"formid": form_id, "data": data})

    def query(self, form_id, keys, filter_string="", **options):
        data = {"FormId": form_id, "FieldKeys": keys, "FilterString": filter_string, **options}
        return self.call("DynamicFormService.ExecuteBillQuery", {"data": data})

    def one(self, form_id, keys, filter_string):
        rows = self.query(form_id, keys, filter_string)
        assert len(rows) == 1, rows
        return rows[0]

    def calls(self, after_id=0):
        return self.sandbox.calls("k3cloud", self.tenant["acct_id"], after_id)

    def order_model(self, customer="CUST0001", lines=(("01.0001", 10, "113"),), **header):
        """A sales order Model for an existing customer, lines (material, qty, tax-inclusive price)."""
        entries = [
            {"FMaterialId": {"FNumber": number}, "FQty": qty, "FTaxPrice": price, "FEntryTaxRate": 13}
            for number, qty, price in lines
        ]
        return {"FCustId": {"FNumber": customer}, "FSaleOrderEntry": entries, **header}

    def audited_order(self, **kwargs):
        model = self.order_model(**kwargs)
        order_id, number = self.saved("SAL_SaleOrder", model, IsAutoSubmitAndAudit=True)
        return order_id, number


@pytest.fixture
def erp(sandbox):
    """A fresh account set, logged in with ValidateUser."""
    tenant = sandbox.seed(size=10, systems=["k3cloud"])["k3cloud"]
    client = Erp(sandbox, tenant)
    client.login()
    return client


@pytest.fixture
def anonymous(sandbox):
    """A fresh account set and a session that has not logged in."""
    return Erp(sandbox, sandbox.seed(size=10, systems=["k3cloud"])["k3cloud"])
