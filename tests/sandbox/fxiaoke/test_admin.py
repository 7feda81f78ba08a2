"""The simulated CRM in the admin, in process: browsing records, editing one as a person would
in the CRM (which bumps last_modified_time), and the messages the hub sent."""

import json

import pytest
from django.db import connections
from django.urls import reverse

from sandbox import services
from sandbox.fxiaoke.models import Message, Record, Tenant

pytestmark = pytest.mark.django_db(databases=["default", "sandbox"])


@pytest.fixture
def tenant():
    details = services.seed(size=3, seed=3, systems=["fxiaoke"])["fxiaoke"]
    return Tenant.objects.get(corp_id=details["corp_id"]), details


def change_url(record):
    return reverse("admin:sandbox_fxiaoke_record_change", args=[record.pk])


def test_the_record_list_loads_with_a_bounded_number_of_queries(
    admin_client, tenant, django_assert_max_num_queries
):
    with django_assert_max_num_queries(6, connection=connections["sandbox"]):
        response = admin_client.get(
            reverse("admin:sandbox_fxiaoke_record_changelist"), {"api_name": "AccountObj"}
        )

    assert response.status_code == 200
    assert Record.objects.filter(api_name="AccountObj").first().name in response.content.decode()


def test_an_edit_in_the_admin_is_a_change_in_the_crm(admin_client, tenant):
    details = tenant[1]
    account = Record.objects.filter(tenant=tenant[0], api_name="AccountObj").first()
    before = dict(account.data)
    edited = {**account.data, "remark": "客户改了开票地址"}

    response = admin_client.post(
        change_url(account), {"data": json.dumps(edited, ensure_ascii=False), "_save": "1"}
    )

    account.refresh_from_db()
    assert response.status_code == 302
    assert account.data["remark"] == "客户改了开票地址"
    assert account.last_modified_time > before["last_modified_time"]
    assert account.data["version"] == before["version"] + 1
    assert account.data["last_modified_by"] == [details["sales_open_user_id"]]  # a person, not the API user


def test_an_admin_edit_with_an_illegal_value_is_refused(admin_client, tenant):
    account = Record.objects.filter(tenant=tenant[0], api_name="AccountObj").first()
    edited = {**account.data, "account_level": "重要客户"}

    response = admin_client.post(
        change_url(account), {"data": json.dumps(edited, ensure_ascii=False), "_save": "1"}
    )

    account.refresh_from_db()
    assert response.status_code == 200
    assert "send the option value" in response.content.decode()
    assert account.data["account_level"] != "重要客户"


def test_messages_sent_through_the_api_are_recorded_and_listed(client, admin_client, tenant):
    row, details = tenant
    token = client.post(
        "/sandbox/fxiaoke/cgi/corpAccessToken/get/V2",
        {
            "appId": details["app_id"],
            "appSecret": details["app_secret"],
            "permanentCode": details["permanent_code"],
        },
        content_type="application/json",
    ).json()
    body = {
        "corpAccessToken": token["corpAccessToken"],
        "corpId": token["corpId"],
        "toUser": [details["sales_open_user_id"]],
        "msgType": "text",
        "text": {"content": "订单已发货"},
    }

    answer = client.post("/sandbox/fxiaoke/cgi/message/send", body, content_type="application/json").json()
    listing = admin_client.get(reverse("admin:sandbox_fxiaoke_message_changelist"))

    assert answer["errorCode"] == 0
    message = Message.objects.get(tenant=row)
    assert (message.to_users, message.msg_type, message.content) == (
        [details["sales_open_user_id"]],
        "text",
        "订单已发货",
    )
    assert "订单已发货" in listing.content.decode()
