"""The soak benchmark: its figures' definitions, the CRM sandbox's stream of people's edits,
and a one-minute smoke of the whole soak.

The smoke runs the hub as deployed (sandbox server, web server receiving the CRM's webhooks,
a ``qcluster`` of two workers on SQLite) at one CRM edit a second over a small initial load,
and checks the figures that do not depend on the machine's speed: no flow ever had more
than one queued run, no run was started by the hub's own write-backs, every CRM edit
reached the ERP. Timings are the benchmark's own business at its default size.
"""

import pytest

from benchmarks import soak_figures
from benchmarks.soak import Soak, SoakOptions
from benchmarks.soak_targets import table
from connectors.fxiaoke import FxiaokeClient, FxiaokeConfig
from connectors.retrying import RetryPolicy
from connectors.state import DatabaseState

# --- the figures' definitions ----------------------------------------------------------------


def test_only_a_write_of_a_version_carrying_the_change_ends_its_lag():
    changes = [("customers", "a", 100.0), ("customers", "b", 100.0), ("customers", "c", 100.0)]
    writes = {
        ("customers", "a"): [(98.0, 101.0), (100.2, 104.0)],  # an older version first, then the change
        ("customers", "b"): [(90.0, 101.0)],
        ("customers", "c"): [(99.5, 100.6)],  # the ERP's whole seconds: within the tolerance
    }

    assert soak_figures.lags(changes, writes) == [4.0, None, pytest.approx(0.6)]


def test_a_change_refused_by_a_later_run_is_failed_not_unwritten():
    changes = [("customers", "a", 100.0), ("customers", "b", 100.0)]
    values = [None, None]
    failed = soak_figures.refused(changes, values, {("customers", "a"): [101.0], ("customers", "b"): [98.0]})

    summary = soak_figures.lag_summary(values, failed)

    assert failed == [True, False]
    assert (summary["failed"], summary["unwritten"], summary["p95_seconds"]) == (1, 1, None)


def test_percentiles_are_by_nearest_rank():
    values = list(range(1, 101))

    assert (soak_figures.percentile(values, 0.5), soak_figures.percentile(values, 0.95)) == (50, 95)
    assert soak_figures.percentile([], 0.5) is None


def test_a_webhook_run_is_an_echo_only_when_our_write_back_was_every_id_s_last_change():
    hub_writes = {"a": [10.0], "b": [10.0], "c": [10.0]}
    people = {"b": [12.0], "c": [5.0]}
    runs = [(1, 11.0, ["a"]), (2, 13.0, ["b"]), (3, 11.0, ["a", "c"]), (4, 13.0, ["a", "b"]), (5, 9.0, ["a"])]

    assert soak_figures.echo_runs(runs, people, hub_writes) == [1, 3]


def test_the_backlog_grows_when_the_lag_climbs_over_the_last_third_or_changes_stay_unwritten():
    steady = [("f", str(i), float(i)) for i in range(90)]
    climbing = [1.0 + (0.5 * (i - 60) if i >= 60 else 0) for i in range(90)]
    flat = [1.0 + (i % 3) for i in range(90)]
    none_failed = [False] * 90

    assert soak_figures.backlog_trend(steady, climbing, none_failed, 0, 90)["grows"] is True
    assert soak_figures.backlog_trend(steady, flat, none_failed, 0, 90)["grows"] is False
    unwritten = [*flat[:-1], None]
    assert soak_figures.backlog_trend(steady, unwritten, none_failed, 0, 90)["grows"] is True
    assert soak_figures.backlog_trend(steady, unwritten, [*none_failed[:-1], True], 0, 90)["grows"] is False


def test_the_most_queued_runs_are_taken_over_every_sample_and_flow():
    samples = [{"queued": {"customers": 1}}, {"queued": {"sales-orders": 3, "customers": 2}}, {"queued": {}}]

    assert soak_figures.most_queued(samples) == (3, "sales-orders")


# --- the CRM sandbox's stream of people's edits -------------------------------------------------


@pytest.fixture
def crm(sandbox, db):
    tenant = sandbox.seed(size=20, orders=5, lines=2, systems=["fxiaoke"])["fxiaoke"]
    config = FxiaokeConfig(
        base_url=sandbox.base_url + tenant["base_url"],
        app_id=tenant["app_id"],
        app_secret=tenant["app_secret"],
        permanent_code=tenant["permanent_code"],
        open_user_id=tenant["open_user_id"],
        connector_key=f"fxiaoke:soak:{tenant['corp_id']}",
    )
    client = FxiaokeClient(config, state=DatabaseState(), retry_policy=RetryPolicy(max_attempts=1))
    yield tenant, client
    client.close()


def test_the_stream_of_edits_changes_mapped_fields_and_adds_accounts_and_orders(sandbox, crm):
    tenant, client = crm
    stream = {"accounts": 2, "orders": 1, "new_orders": 1, "new_accounts": 1}

    answer = sandbox.simulate("fxiaoke", tenant=tenant["corp_id"], seed=3, approve=False, stream=stream)

    changes = answer[tenant["corp_id"]]["changes"]
    assert [api for api, _id, _ms in changes] == ["AccountObj"] * 2 + ["SalesOrderObj"] * 2 + ["AccountObj"]
    for api_name, record_id, changed_ms in changes:
        record = client.get(api_name, record_id)
        assert record["last_modified_time"] == changed_ms
    edited = client.get("AccountObj", changes[0][1])
    assert edited["tel"].startswith("139") and len(edited["tel"]) == 11
    new_account = client.get("AccountObj", changes[4][1])
    assert not new_account.get("field_erpNo__c") and new_account["name"].endswith("分公司")
    new_order = changes[3][1]
    lines = list(client.query("SalesOrderProductObj", [("order_id", "EQ", [new_order])]))
    assert lines and all(line["order_id"] == new_order for line in lines)


# --- the smoke ------------------------------------------------------------------------------------


@pytest.mark.slow
def test_a_one_minute_soak_never_queues_two_runs_of_a_flow_and_starts_none_from_its_own_writes(tmp_path):
    options = SoakOptions(
        minutes=1,
        rate=1,
        customers=200,
        settle_min_seconds=20,
        settle_max_seconds=120,
        work_dir=str(tmp_path / "soak"),
    )

    report = Soak(options, say=lambda _message: None).run()

    figures = report["figures"]
    assert figures["crm_edits"] >= 55 and figures["runs"] > 0
    assert figures["most_queued_runs_per_flow"] <= 1
    assert figures["echo_runs"] == 0
    assert report["runs_by_trigger"].get("webhook", 0) > 0  # the CRM's webhooks reached the hub
    # Every CRM edit reached the ERP (ERP bills wait for a schedule, which a short settling may miss).
    crm_to_erp = report["lag"]["crm_to_erp"]
    assert crm_to_erp["changes"] == figures["crm_edits"] and crm_to_erp["unwritten"] == 0
    assert {check["target"] for check in report["targets"]} == {
        "most_queued_runs_per_flow",
        "echo_runs",
        "crm_to_erp_lag_p95",
        "backlog_grows",
        "fxiaoke_calls_per_crm_edit",
    }
    assert "| " in table(report)
