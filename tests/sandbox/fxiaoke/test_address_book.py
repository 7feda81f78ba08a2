"""getByMobile answers in the shape of the one live reply quoted in public code
(ChrisYinCS/GoogleADKLearn, crm/README.md; single-source): ``status`` and ``isActive``, no
``isStop``, and a "success"/"成功" envelope."""

import json

import pytest
from django.test import Client

from sandbox import services
from sandbox.fxiaoke.models import Employee
from tests.sandbox.fxiaoke.conftest import TOKEN_PATH

BY_MOBILE = "/cgi/user/getByMobile"
CAPTURED_KEYS = {
    "enterpriseId",
    "openUserId",
    "account",
    "fullName",
    "name",
    "status",
    "mobile",
    "email",
    "isActive",
    "mainDepartmentIds",
    "departmentIds",
}


def test_get_by_mobile_answers_the_captured_shape(fx):
    corp = {"corpAccessToken": fx.auth()["corpAccessToken"], "corpId": fx.tenant["corp_id"]}

    answer = fx.post(BY_MOBILE, {**corp, "mobile": fx.tenant["mobile"]})

    assert (answer["errorCode"], answer["errorMessage"], answer["errorDescription"]) == (0, "success", "成功")
    [person] = answer["empList"]
    assert set(person) == CAPTURED_KEYS  # no isStop: the live reply had none
    assert (person["status"], person["isActive"]) == ("NORMAL", True)
    assert person["fullName"] == person["name"] and isinstance(person["enterpriseId"], int)
    assert person["mainDepartmentIds"] == person["departmentIds"] and len(person["departmentIds"]) == 1


@pytest.mark.django_db(databases=["default", "sandbox"])
def test_an_employee_who_left_is_inactive_with_no_is_stop_flag():
    details = services.seed(size=3, seed=3, systems=["fxiaoke"])["fxiaoke"]
    Employee.objects.filter(open_user_id=details["open_user_id"]).update(is_stop=True)
    client = Client()
    credentials = {k: details[k] for k in ("app_id", "app_secret", "permanent_code")}
    body = {"appId": credentials["app_id"], "appSecret": credentials["app_secret"]}
    token = post(client, TOKEN_PATH, {**body, "permanentCode": credentials["permanent_code"]})

    answer = post(
        client,
        BY_MOBILE,
        {
            "corpAccessToken": token["corpAccessToken"],
            "corpId": details["corp_id"],
            "mobile": details["mobile"],
        },
    )

    [person] = answer["empList"]
    assert (person["isActive"], person["status"]) == (False, "STOP")  # "STOP" is inferred
    assert "isStop" not in person


def post(client, path, body):
    response = client.post("/sandbox/fxiaoke" + path, json.dumps(body), content_type="application/json")
    assert response.status_code == 200
    return response.json()
