"""The integration user found by mobile, from either employee shape: the documented ``isStop``
or the live reply's ``isActive``/``status`` (ChrisYinCS/GoogleADKLearn, crm/README.md;
single-source), served over HTTP by the recording stand-in."""

import pytest

from connectors.errors import AuthenticationError
from connectors.fxiaoke import FxiaokeClient, FxiaokeConfig
from connectors.retrying import RetryPolicy
from connectors.state import DatabaseState

BY_MOBILE = "/cgi/user/getByMobile"
LIVE_ENVELOPE = {
    "errorCode": 0,
    "errorMessage": "success",
    "errorDescription": "成功",
    "traceId": "E-O.x.-10000-1",
}


def live_employee(open_user_id, active):
    return {
        "enterpriseId": 564761,
        "openUserId": open_user_id,
        "fullName": "曹悉",
        "name": "曹悉",
        "status": "NORMAL" if active else "STOP",
        "isActive": active,
        "mainDepartmentIds": [1279],
        "departmentIds": [1279],
    }


@pytest.fixture
def client(crm, db):
    config = FxiaokeConfig(
        base_url=crm.url,
        app_id="FSAID_1",
        app_secret="s",
        permanent_code="p",
        mobile="18692224663",
        connector_key=f"fxiaoke:lookup:{crm.url}",
    )
    client = FxiaokeClient(config, state=DatabaseState(), retry_policy=RetryPolicy(max_attempts=1))
    yield client
    client.close()


def test_the_live_shape_s_active_employee_is_the_integration_user(client, crm):
    crm.replies[BY_MOBILE] = {**LIVE_ENVELOPE, "empList": [live_employee("FSUID_LIVE", True)]}

    assert client.resolve_open_user_id() == "FSUID_LIVE"


def test_an_employee_marked_inactive_is_skipped_though_no_is_stop_is_sent(client, crm):
    employees = [live_employee("FSUID_LEFT", False), live_employee("FSUID_HERE", True)]
    crm.replies[BY_MOBILE] = {**LIVE_ENVELOPE, "empList": employees}

    assert client.resolve_open_user_id() == "FSUID_HERE"


def test_only_inactive_employees_is_no_integration_user(client, crm):
    crm.replies[BY_MOBILE] = {**LIVE_ENVELOPE, "empList": [live_employee("FSUID_LEFT", False)]}

    with pytest.raises(AuthenticationError) as raised:
        client.resolve_open_user_id()

    assert raised.value.field == "mobile"


def test_an_employee_with_neither_flag_counts_as_active(client, crm):
    crm.replies[BY_MOBILE] = {**LIVE_ENVELOPE, "empList": [{"openUserId": "FSUID_BARE"}]}

    assert client.resolve_open_user_id() == "FSUID_BARE"
