"""Each sandbox fault switch against the client: reads retried, lost writes never repeated."""

import pytest

from connectors.errors import OutcomeUnknownError, TransientError

QUERY = "ExecuteBillQuery"
RUNS = 6


@pytest.fixture
def client(make_client):
    client = make_client("password", timeout=1.0)
    client.login()  # faults below target other operations, so the login is not disturbed
    return client


def numbers(client):
    return [r["FNumber"] for r in client.query("BD_Customer", "FNumber", order_string="FNumber ASC")]


def customers_named(client, name):
    return list(client.query("BD_Customer", "FNumber", f"FName = '{name}'"))


def test_latency_delays_calls_and_changes_nothing(client, sandbox, call_log):
    expected = numbers(client)
    sandbox.set_faults("k3cloud", latency_ms=200, operations=[QUERY])

    assert numbers(client) == expected
    assert call_log(QUERY)[-1]["elapsed_ms"] >= 200


@pytest.mark.parametrize(
    ("switch", "outcome"),
    [
        ("error_rate", "http_500"),
        ("reset_rate", "reset"),
        ("response_error_rate", "response_error"),
        ("msgcode13_rate", "msgcode13"),
        ("msgcode14_rate", "msgcode14"),
    ],
)
def test_transient_faults_on_reads_are_retried_with_backoff(
    client, sandbox, call_log, sleeps, switch, outcome
):
    expected = numbers(client)
    sandbox.set_faults("k3cloud", operations=[QUERY], **{switch: 1.0})
    sleeps.then = lambda: sandbox.clear_faults("k3cloud")

    assert numbers(client) == expected
    assert [c["outcome"] for c in call_log(QUERY, any_tenant=True)] == ["ok", outcome, "ok"]
    assert len(sleeps) == 1 and 0 <= sleeps[0] <= 0.5


def test_timeouts_on_reads_are_retried(client, sandbox, sleeps, call_log):
    expected = numbers(client)
    sandbox.set_faults("k3cloud", operations=[QUERY], timeout_rate=1.0, hold_seconds=1.5)
    sleeps.then = lambda: sandbox.clear_faults("k3cloud")

    assert numbers(client) == expected
    assert len(sleeps) == 1
    assert [c["outcome"] for c in call_log(QUERY)] == ["ok", "ok"]


def test_many_reads_under_random_faults_all_succeed(make_client, sandbox, call_log):
    client = make_client("password", attempts=10)  # ten straight faults: about 2 in a million
    expected = numbers(client)
    sandbox.set_faults(
        "k3cloud", seed=7, operations=[QUERY], error_rate=0.1, reset_rate=0.1, msgcode13_rate=0.1
    )

    assert [numbers(client) for _ in range(RUNS)] == [expected] * RUNS
    assert len([c for c in call_log(QUERY) if c["outcome"] == "ok"]) == 1 + RUNS


def test_a_read_failing_every_time_gives_up_after_the_last_attempt(client, sandbox, sleeps, call_log):
    sandbox.set_faults("k3cloud", operations=[QUERY], error_rate=1.0)

    with pytest.raises(TransientError):
        numbers(client)

    assert len(sleeps) == 4
    assert [c["outcome"] for c in call_log(QUERY, any_tenant=True)].count("http_500") == 5


def test_a_write_whose_answer_is_dropped_after_commit_is_sent_once(client, sandbox, sleeps, call_log):
    sandbox.set_faults("k3cloud", operations=["Save"], drop_after_commit_rate=1.0)

    with pytest.raises(OutcomeUnknownError) as raised:
        client.save("BD_Customer", {"FNumber": "LOST-0001", "FName": "应答丢失客户"})

    assert "LOST-0001" in raised.value.message
    assert raised.value.details[0]["numbers"] == ["LOST-0001"]
    assert [c["outcome"] for c in call_log("Save", any_tenant=True)] == ["ok_dropped"]
    assert sleeps == []
    sandbox.clear_faults("k3cloud")
    assert customers_named(client, "应答丢失客户") == [{"FNumber": "LOST-0001"}]


@pytest.mark.parametrize(
    ("switches", "outcome"),
    [
        ({"error_rate": 1.0}, "http_500"),
        ({"reset_rate": 1.0}, "reset"),
        ({"response_error_rate": 1.0}, "response_error"),
        ({"timeout_rate": 1.0, "hold_seconds": 1.5}, None),
    ],
)
def test_a_write_with_an_ambiguous_failure_is_never_repeated(
    client, sandbox, sleeps, call_log, switches, outcome
):
    sandbox.set_faults("k3cloud", operations=["BatchSave"], **switches)

    with pytest.raises(OutcomeUnknownError):
        client.batch_save("BD_Customer", [{"FName": "不重发客户甲"}, {"FName": "不重发客户乙"}])

    assert sleeps == []
    if outcome is not None:  # a held "timeout" is logged only when the hold ends
        assert [c["outcome"] for c in call_log("BatchSave", any_tenant=True)] == [outcome]


@pytest.mark.parametrize("switch", ["msgcode13_rate", "msgcode14_rate"])
def test_a_write_refused_for_a_lock_conflict_or_call_limit_is_retried_and_saved_once(
    client, sandbox, sleeps, call_log, switch
):
    sandbox.set_faults("k3cloud", operations=["Save"], **{switch: 1.0})
    sleeps.then = lambda: sandbox.clear_faults("k3cloud")

    saved = client.save("BD_Customer", {"FName": f"重试保存客户{switch}"})

    assert [c["outcome"] for c in call_log("Save")] == [switch.split("_")[0], "ok"]
    assert len(sleeps) == 1
    assert customers_named(client, f"重试保存客户{switch}") == [{"FNumber": saved.number}]
