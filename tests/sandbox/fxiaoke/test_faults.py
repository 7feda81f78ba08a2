"""Every fault switch, seen by a client and in the sandbox's call log."""

import pytest
import requests

from tests.sandbox.fxiaoke.conftest import flt

LIST = "/cgi/crm/v2/object/list"
CREATE = "/cgi/crm/v2/data/create"


def last_call(fx):
    return fx.sandbox.calls("fxiaoke")[-1]


def test_latency_delays_each_call(fx, sandbox):
    auth = fx.auth()
    sandbox.set_faults("fxiaoke", latency_ms=300)

    assert fx.post(LIST, auth)["errorCode"] == 0
    assert last_call(fx)["elapsed_ms"] >= 300


def test_an_http_500_does_nothing(fx, sandbox):
    auth = fx.auth()
    sandbox.set_faults("fxiaoke", error_rate=1.0)

    response = requests.post(fx.base + LIST, json=auth, timeout=30)

    assert response.status_code == 500
    assert (last_call(fx)["operation"], last_call(fx)["outcome"]) == (LIST, "http_500")


def test_a_timeout_holds_the_call_and_answers_504(fx, sandbox):
    auth = fx.auth()
    sandbox.set_faults("fxiaoke", timeout_rate=1.0, hold_seconds=0.3)

    response = requests.post(fx.base + LIST, json=auth, timeout=30)

    assert response.status_code == 504
    call = last_call(fx)
    assert call["outcome"] == "timeout" and call["elapsed_ms"] >= 300


def test_a_reset_drops_the_connection_before_any_work(fx, sandbox):
    auth = fx.auth()
    sandbox.set_faults("fxiaoke", reset_rate=1.0)

    with pytest.raises(requests.ConnectionError):
        requests.post(
            fx.base + CREATE,
            json={
                **auth,
                "data": {"object_data": {"dataObjectApiName": "AccountObj", "name": "重置有限公司"}},
            },
            timeout=30,
        )
    sandbox.clear_faults("fxiaoke")

    assert last_call(fx)["outcome"] == "reset"
    assert fx.rows("AccountObj", [flt("name", "EQ", "重置有限公司")]) == []


def test_a_dropped_create_was_committed_before_the_connection_reset(fx, sandbox):
    auth = fx.auth()
    sandbox.set_faults("fxiaoke", drop_after_commit_rate=1.0, operations=[CREATE])

    with pytest.raises(requests.ConnectionError):
        requests.post(
            fx.base + CREATE,
            json={
                **auth,
                "data": {"object_data": {"dataObjectApiName": "AccountObj", "name": "已提交有限公司"}},
            },
            timeout=30,
        )
    sandbox.clear_faults("fxiaoke")

    call = [c for c in fx.calls() if c["operation"] == CREATE][-1]
    assert (call["outcome"], call["rows"]) == ("ok_dropped", 1)
    assert len(fx.rows("AccountObj", [flt("name", "EQ", "已提交有限公司")])) == 1


@pytest.mark.parametrize(("switch", "code"), [("busy_rate", -1), ("system_timeout_rate", 50009)])
def test_the_platforms_own_transient_errors(fx, sandbox, switch, code):
    auth = fx.auth()
    sandbox.set_faults("fxiaoke", **{switch: 1.0})

    answer = fx.post(LIST, auth)

    assert answer["errorCode"] == code and answer["traceId"]
    assert last_call(fx)["outcome"] == f"error {code}"


def test_faults_can_be_limited_to_some_operations(fx, sandbox):
    auth = fx.auth()
    sandbox.set_faults("fxiaoke", busy_rate=1.0, operations=["/cgi/crm/v2/object/describe"])

    listed = fx.post(LIST, auth)
    described = fx.post("/cgi/crm/v2/object/describe", {**auth, "apiName": "AccountObj"})

    assert (listed["errorCode"], described["errorCode"]) == (0, -1)
