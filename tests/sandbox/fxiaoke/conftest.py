"""Fixtures for the Fxiaoke sandbox tests: a fresh tenant per test, and raw HTTP helpers that
only add the legacy body auth (corpAccessToken, corpId, currentOpenUserId) to literal bodies."""

import pytest
import requests

TOKEN_PATH = "/cgi/corpAccessToken/get/V2"


class FxiaokeHttp:
    """Posts raw JSON bodies to the simulated Open API of one tenant."""

    def __init__(self, sandbox, tenant):
        self.sandbox = sandbox
        self.tenant = tenant
        self.base = sandbox.fxiaoke_url
        self.http = requests.Session()
        self._token = None

    def post(self, path, body, timeout=30):
        """The decoded JSON answer; every answer of the platform is HTTP 200."""
        response = self.http.post(self.base + path, json=body, timeout=timeout)
        assert response.status_code == 200, response.text
        return response.json()

    def token(self):
        return self.post(
            TOKEN_PATH,
            {
                "appId": self.tenant["app_id"],
                "appSecret": self.tenant["app_secret"],
                "permanentCode": self.tenant["permanent_code"],
            },
        )

    def auth(self, open_user_id=None, fresh=False):
        if fresh or self._token is None:
            answer = self.token()
            assert answer["errorCode"] == 0, answer
            self._token = answer["corpAccessToken"]
        return {
            "corpAccessToken": self._token,
            "corpId": self.tenant["corp_id"],
            "currentOpenUserId": open_user_id or self.tenant["open_user_id"],
        }

    def call(self, path, data=None, open_user_id=None, **top):
        """A CRM call: ``data`` under ``data``, flags at the top level."""
        body = {**self.auth(open_user_id), **top}
        if data is not None:
            body["data"] = data
        return self.post(path, body)

    def create(self, api_name, values, details=None, custom=None, **top):
        """Create a record; returns its dataId (asserting success)."""
        data = {"object_data": {"dataObjectApiName": api_name, **values}}
        if details is not None:
            data["details"] = details
        answer = self.call(_family(api_name, custom) + "data/create", data, **top)
        assert answer["errorCode"] == 0, answer
        return answer["dataId"]

    def query(self, api_name, filters=(), orders=(), limit=100, offset=0, open_user_id=None, **data):
        info = {"limit": limit, "offset": offset, "filters": list(filters), "orders": list(orders)}
        info.update(data.pop("info", {}))
        body = {"dataObjectApiName": api_name, "search_query_info": info, **data}
        return self.call(_family(api_name) + "data/query", body, open_user_id=open_user_id)

    def rows(self, api_name, filters=(), orders=(), **data):
        answer = self.query(api_name, filters, orders, **data)
        assert answer["errorCode"] == 0, answer
        return answer["data"]["dataList"]

    def get(self, api_name, object_id, open_user_id=None):
        body = {"dataObjectApiName": api_name, "objectDataId": object_id}
        return self.call(_family(api_name) + "data/get", body, open_user_id=open_user_id)

    def calls(self, after_id=0):
        return self.sandbox.calls("fxiaoke", tenant=self.tenant["tenant"], after_id=after_id)


def _family(api_name, custom=None):
    custom = api_name.endswith("__c") if custom is None else custom
    return "/cgi/crm/custom/v2/" if custom else "/cgi/crm/v2/"


def flt(field, operator, *values):
    """One ``search_query_info`` filter."""
    return {"field_name": field, "operator": operator, "field_values": list(values)}


@pytest.fixture
def tenant(sandbox):
    """A fresh CRM tenant seeded from the shared data set (10 customers)."""
    return sandbox.seed(size=10, seed=42, systems=["fxiaoke"])["fxiaoke"]


@pytest.fixture
def fx(sandbox, tenant):
    client = FxiaokeHttp(sandbox, tenant)
    yield client
    client.http.close()
