"""Logins, sessions (cookie or header, sliding, forced expiry), Logout and signed headers."""

import base64
import time

import requests

from sandbox.k3cloud import signing
from tests.sandbox.k3cloud.conftest import SERVICE

LOST = {
    "Result": {
        "ResponseStatus": {
            "ErrorCode": 500,
            "IsSuccess": False,
            "Errors": [{"FieldName": None, "Message": "会话信息已丢失，请重新登录", "DIndex": 0}],
            "SuccessEntitys": [],
            "SuccessMessages": [],
            "MsgCode": 1,
        }
    }
}
QUERY = {"data": {"FormId": "BD_Currency", "FieldKeys": "FNumber", "FilterString": "FNumber='PRE001'"}}


def login_body(tenant, **changes):
    return {
        "acctID": tenant["acct_id"],
        "username": tenant["username"],
        "password": tenant["password"],
        "lcid": 2052,
        **changes,
    }


def test_validate_user_opens_a_session_with_both_cookies(anonymous):
    response = anonymous.post("AuthService.ValidateUser", login_body(anonymous.tenant))
    reply = response.json()
    assert reply["LoginResultType"] == 1 and reply["IsSuccessByAPI"] is True
    assert reply["KDSVCSessionId"] == response.cookies["kdservice-sessionid"]
    assert reply["Context"]["SessionId"] == response.cookies["ASP.NET_SessionId"]
    assert reply["Context"]["UserName"] == anonymous.tenant["username"]
    assert reply["Context"]["CurrentOrganizationInfo"]["ID"] == anonymous.tenant["org_id"]


def test_positional_parameters_and_odd_key_case_log_in(anonymous):
    tenant = anonymous.tenant
    positional = {"parameters": [tenant["acct_id"], tenant["username"], tenant["password"], 2052]}
    assert anonymous.call("AuthService.ValidateUser", positional)["LoginResultType"] == 1
    odd = {
        "ACCTID": tenant["acct_id"],
        "UserName": tenant["username"],
        "PassWord": tenant["password"],
        "LCID": 2052,
    }
    assert anonymous.call("AuthService.ValidateUser2", odd)["LoginResultType"] == 1
    legacy = {**positional, "format": 1, "useragent": "ApiClient", "rid": "1", "timestamp": "0", "v": "1.0"}
    assert anonymous.call("AuthService.ValidateUser", legacy)["LoginResultType"] == 1


def test_wrong_password_and_unknown_account_set_say_why(anonymous):
    wrong = anonymous.call("AuthService.ValidateUser", login_body(anonymous.tenant, password="nope"))
    assert (wrong["LoginResultType"], wrong["Message"], wrong["KDSVCSessionId"]) == (
        0,
        "用户名或密码错误！",
        None,
    )
    unknown = anonymous.call("AuthService.ValidateUser", login_body(anonymous.tenant, acctID="000000"))
    assert unknown["LoginResultType"] == -1
    assert "数据中心" in unknown["Message"]


def test_login_by_app_secret(anonymous):
    tenant = anonymous.tenant
    body = {
        "acctid": tenant["acct_id"],
        "username": tenant["username"],
        "appid": tenant["app_id"],
        "appsecret": tenant["app_secret"],
        "lcid": 2052,
    }
    assert anonymous.call("AuthService.LoginByAppSecret", body)["LoginResultType"] == 1
    refused = anonymous.call("AuthService.LoginByAppSecret", {**body, "appsecret": "x"})
    assert refused["LoginResultType"] == -1 and refused["KDSVCSessionId"] is None


def test_login_by_sign(anonymous):
    tenant, stamp = anonymous.tenant, str(int(time.time()))
    sign = signing.login_sign(
        tenant["acct_id"], tenant["username"], tenant["app_id"], tenant["app_secret"], stamp
    )
    body = {"parameters": [tenant["acct_id"], tenant["username"], tenant["app_id"], stamp, sign, 2052]}
    assert anonymous.call("AuthService.LoginBySign", body)["LoginResultType"] == 1
    body["parameters"][4] = "0" * 64
    assert anonymous.call("AuthService.LoginBySign", body)["LoginResultType"] == -1


def test_the_header_alone_carries_a_session(erp):
    session_id = erp.http.cookies["kdservice-sessionid"]
    bare = requests.post(
        erp.url("DynamicFormService.ExecuteBillQuery"),
        json=QUERY,
        headers={"kdservice-sessionid": session_id},
        timeout=10,
    )
    assert bare.json() == [["PRE001"]]


def test_no_session_answers_msgcode_1_and_queries_wrap_it(anonymous):
    save = anonymous.call(
        "DynamicFormService.Save", {"formid": "BD_Customer", "data": {"Model": {"FName": "x"}}}
    )
    assert save == LOST
    assert anonymous.call("DynamicFormService.ExecuteBillQuery", QUERY) == [[LOST]]
    assert anonymous.sandbox.calls("k3cloud")[-1]["outcome"] == "session_lost"


def test_sessions_slide_on_the_simulated_clock(erp, sandbox):
    sandbox.advance_clock("k3cloud", 19 * 60)
    assert erp.call("DynamicFormService.ExecuteBillQuery", QUERY) == [["PRE001"]]
    sandbox.advance_clock("k3cloud", 19 * 60)
    assert erp.call("DynamicFormService.ExecuteBillQuery", QUERY) == [["PRE001"]]
    sandbox.advance_clock("k3cloud", 21 * 60)
    assert erp.call("DynamicFormService.ExecuteBillQuery", QUERY) == [[LOST]]


def test_session_lifetime_is_a_switch(erp, sandbox):
    sandbox.set_faults("k3cloud", session_minutes=1)
    sandbox.advance_clock("k3cloud", 90)
    assert erp.call("DynamicFormService.ExecuteBillQuery", QUERY) == [[LOST]]


def test_forced_expiry_ends_every_session_and_a_new_login_works(erp, sandbox):
    sandbox.expire_sessions("k3cloud")
    assert erp.call("DynamicFormService.ExecuteBillQuery", QUERY) == [[LOST]]
    erp.login()
    assert erp.call("DynamicFormService.ExecuteBillQuery", QUERY) == [["PRE001"]]


def test_logout_ends_the_session(erp):
    assert erp.call("AuthService.Logout", {}) is True
    assert erp.call("DynamicFormService.ExecuteBillQuery", QUERY) == [[LOST]]
    assert erp.call("AuthService.Logout", {}) is False


# --- signed headers ---------------------------------------------------------------------------


def signed(erp, service, **changes):
    tenant = erp.tenant
    url = erp.url(service)
    path = url[url.index("/", 10) :]
    headers = signing.signed_headers(
        tenant["acct_id"], tenant["username"], tenant["app_id"], tenant["app_secret"], path, time.time()
    )
    headers.update(changes)
    return url, headers


def test_signed_headers_need_no_login_and_issue_a_session(anonymous):
    url, headers = signed(anonymous, "DynamicFormService.ExecuteBillQuery")
    response = requests.post(url, json=QUERY, headers=headers, timeout=10)
    assert response.json() == [["PRE001"]]
    session_id = response.cookies["kdservice-sessionid"]
    again = requests.post(url, json=QUERY, headers={**headers, "kdservice-sessionid": session_id}, timeout=10)
    assert again.json() == [["PRE001"]]
    assert "kdservice-sessionid" not in again.cookies  # the same session goes on


def test_a_bad_kd_signature_is_refused_as_a_lost_session(anonymous):
    url, headers = signed(anonymous, "DynamicFormService.ExecuteBillQuery", **{"X-Kd-Signature": "bad"})
    assert requests.post(url, json=QUERY, headers=headers, timeout=10).json() == [[LOST]]
    tenant = anonymous.tenant
    other_user = base64.b64encode(f"{tenant['acct_id']},intruder,2052,0".encode()).decode()
    url, headers = signed(anonymous, "DynamicFormService.ExecuteBillQuery", **{"X-Kd-Appdata": other_user})
    assert requests.post(url, json=QUERY, headers=headers, timeout=10).json() == [[LOST]]


def test_gateway_signature_is_ignored_unless_strict(anonymous, sandbox):
    url, headers = signed(anonymous, "DynamicFormService.ExecuteBillQuery", **{"X-Api-Signature": "wrong"})
    assert requests.post(url, json=QUERY, headers=headers, timeout=10).json() == [["PRE001"]]
    sandbox.set_faults("k3cloud", strict_api_signature=True)
    assert requests.post(url, json=QUERY, headers=headers, timeout=10).json() == [[LOST]]
    url, good = signed(anonymous, "DynamicFormService.ExecuteBillQuery")
    assert requests.post(url, json=QUERY, headers=good, timeout=10).json() == [["PRE001"]]
    skewed = signed(anonymous, "DynamicFormService.ExecuteBillQuery")[1]
    stale = str(int(time.time()) - 3600)
    path = url[url.index("/", 10) :]
    secret = signing.client_secret(anonymous.tenant["app_id"])
    skewed.update(
        {
            "x-api-timestamp": stale,
            "x-api-nonce": stale,
            "X-Api-Signature": signing.api_signature(path, stale, stale, secret),
        }
    )
    assert requests.post(url, json=QUERY, headers=skewed, timeout=10).json() == [[LOST]]


def test_an_expired_session_in_signed_mode_is_lost_once_with_a_fresh_cookie(anonymous, sandbox):
    url, headers = signed(anonymous, "DynamicFormService.ExecuteBillQuery")
    first = requests.post(url, json=QUERY, headers=headers, timeout=10)
    stale = first.cookies["kdservice-sessionid"]
    sandbox.expire_sessions("k3cloud")
    lost = requests.post(url, json=QUERY, headers={**headers, "kdservice-sessionid": stale}, timeout=10)
    assert lost.json() == [[LOST]]
    fresh = lost.cookies["kdservice-sessionid"]
    assert fresh != stale
    again = requests.post(url, json=QUERY, headers={**headers, "kdservice-sessionid": fresh}, timeout=10)
    assert again.json() == [["PRE001"]]


def test_unknown_service_is_http_404(erp):
    response = erp.http.post(
        f"{erp.sandbox.k3cloud_url}{SERVICE}DynamicFormService.Nope.common.kdsvc", json={}
    )
    assert response.status_code == 404


def test_the_login_context_carries_the_aspnet_id_not_the_session_key(anonymous):
    """Spec §9 (a captured reply): Context.SessionId is a 24-character ASP.NET id and Lcid is 0."""
    reply = anonymous.call("AuthService.ValidateUser", login_body(anonymous.tenant, lcid=1033))
    aspnet_id = reply["Context"]["SessionId"]
    assert len(aspnet_id) == 24 and set(aspnet_id) <= set("abcdefghijklmnopqrstuvwxyz012345")
    assert aspnet_id != reply["KDSVCSessionId"] and len(reply["KDSVCSessionId"].split("-")) == 5
    assert reply["Lcid"] == 0


def test_the_context_session_id_is_refused_as_a_session_key(anonymous):
    reply = anonymous.call("AuthService.ValidateUser", login_body(anonymous.tenant))
    stranger = requests.Session()  # no cookies: only the header the client chose
    response = stranger.post(
        anonymous.url("DynamicFormService.ExecuteBillQuery"),
        json=QUERY,
        headers={"kdservice-sessionid": reply["Context"]["SessionId"]},
        timeout=30,
    )
    assert response.json() == [[LOST]]
    good = stranger.post(
        anonymous.url("DynamicFormService.ExecuteBillQuery"),
        json=QUERY,
        headers={"kdservice-sessionid": reply["KDSVCSessionId"]},
        timeout=30,
    )
    assert good.json() == [["PRE001"]]
