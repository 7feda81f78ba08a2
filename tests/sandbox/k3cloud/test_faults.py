"""Every fault switch, observable in the reply and in the call log (tenant, operation, outcome)."""

import time

import pytest
import requests

QUERY = {"data": {"FormId": "BD_Customer", "FieldKeys": "FNumber", "FilterString": "FName like '故障%'"}}


def save_body(name):
    return {"formid": "BD_Customer", "data": {"Model": {"FName": name}}}


def last_call(erp, after_id):
    calls = erp.calls(after_id)
    assert calls, "the call was not logged"
    return calls[-1]


def mark(erp):
    calls = erp.sandbox.calls("k3cloud")
    return calls[-1]["id"] if calls else 0


def saved_names(erp):
    return [row[0] for row in erp.query("BD_Customer", "FName", "FName like '故障%'")]


def test_latency_delays_every_call(erp, sandbox):
    sandbox.set_faults("k3cloud", latency_ms=300)
    start, before = time.monotonic(), mark(erp)
    erp.call("DynamicFormService.ExecuteBillQuery", QUERY)
    assert time.monotonic() - start >= 0.3
    entry = last_call(erp, before)
    assert (entry["operation"], entry["outcome"], entry["tenant"]) == (
        "ExecuteBillQuery",
        "ok",
        erp.tenant["acct_id"],
    )
    assert entry["elapsed_ms"] >= 300


def test_error_rate_answers_http_500_and_does_nothing(erp, sandbox):
    sandbox.set_faults("k3cloud", error_rate=1.0)
    before = mark(erp)
    assert erp.post("DynamicFormService.Save", save_body("故障500")).status_code == 500
    assert sandbox.calls("k3cloud", after_id=before)[-1]["outcome"] == "http_500"
    sandbox.clear_faults("k3cloud")
    assert saved_names(erp) == []


def test_timeout_holds_the_request_then_gives_up(erp, sandbox):
    sandbox.set_faults("k3cloud", timeout_rate=1.0, hold_seconds=0.3)
    before = mark(erp)
    with pytest.raises(requests.Timeout):
        erp.post("DynamicFormService.Save", save_body("故障超时"), timeout=0.1)
    time.sleep(0.4)
    assert sandbox.calls("k3cloud", after_id=before)[-1]["outcome"] == "timeout"
    sandbox.clear_faults("k3cloud")
    assert saved_names(erp) == []


def test_reset_closes_the_socket_before_any_work(erp, sandbox):
    sandbox.set_faults("k3cloud", reset_rate=1.0)
    before = mark(erp)
    with pytest.raises(requests.ConnectionError):
        erp.post("DynamicFormService.Save", save_body("故障重置"))
    assert sandbox.calls("k3cloud", after_id=before)[-1]["outcome"] == "reset"
    sandbox.clear_faults("k3cloud")
    assert saved_names(erp) == []


def test_drop_after_commit_saves_then_loses_the_answer(erp, sandbox):
    sandbox.set_faults("k3cloud", drop_after_commit_rate=1.0, operations=["Save"])
    before = mark(erp)
    with pytest.raises(requests.ConnectionError):
        erp.post("DynamicFormService.Save", save_body("故障丢回复"))
    entry = last_call(erp, before)
    assert (entry["operation"], entry["outcome"], entry["rows"]) == ("Save", "ok_dropped", 1)
    assert saved_names(erp) == ["故障丢回复"]  # queries are not in `operations`: they answer


def test_msgcode_13_is_a_lock_conflict_without_work(erp, sandbox):
    sandbox.set_faults("k3cloud", msgcode13_rate=1.0)
    before = mark(erp)
    reply = erp.call("DynamicFormService.Save", save_body("故障锁"))["Result"]["ResponseStatus"]
    assert (reply["MsgCode"], reply["IsSuccess"]) == (13, False)
    assert "冲突，请稍候再使用" in reply["Errors"][0]["Message"] and "客户" in reply["Errors"][0]["Message"]
    query = erp.call("DynamicFormService.ExecuteBillQuery", QUERY)
    assert query[0][0]["Result"]["ResponseStatus"]["MsgCode"] == 13
    assert [c["outcome"] for c in erp.calls(before)] == ["msgcode13", "msgcode13"]
    sandbox.clear_faults("k3cloud")
    assert saved_names(erp) == []


def test_msgcode_14_is_a_call_limit(erp, sandbox):
    sandbox.set_faults("k3cloud", msgcode14_rate=1.0)
    before = mark(erp)
    reply = erp.call("DynamicFormService.Save", save_body("故障限流"))["Result"]["ResponseStatus"]
    assert reply["MsgCode"] == 14
    assert last_call(erp, before)["outcome"] == "msgcode14"


def test_response_error_body(erp, sandbox):
    sandbox.set_faults("k3cloud", response_error_rate=1.0)
    before = mark(erp)
    response = erp.post("DynamicFormService.ExecuteBillQuery", QUERY)
    assert response.status_code == 200 and response.text.startswith("response_error:")
    assert last_call(erp, before)["outcome"] == "response_error"


def test_faults_can_be_limited_to_operations(erp, sandbox):
    sandbox.set_faults("k3cloud", error_rate=1.0, operations=["Save"])
    assert erp.post("DynamicFormService.ExecuteBillQuery", QUERY).status_code == 200
    assert erp.post("DynamicFormService.Save", save_body("故障限定")).status_code == 500


def test_a_share_of_errors_is_logged_call_by_call(erp, sandbox):
    sandbox.set_faults("k3cloud", error_rate=0.5, seed=11)
    before = mark(erp)
    codes = [erp.post("DynamicFormService.ExecuteBillQuery", QUERY).status_code for _ in range(12)]
    outcomes = [call["outcome"] for call in sandbox.calls("k3cloud", after_id=before)]
    assert {200, 500} == set(codes)
    assert outcomes == ["ok" if code == 200 else "http_500" for code in codes]
