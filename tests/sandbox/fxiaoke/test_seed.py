"""Seeding a tenant from the shared data set, the simulation hook, and the ``sandbox`` command's
switches for this system."""

import json
import subprocess
import sys

import requests

from sandbox.dataset import build_dataset
from tests.sandbox.fxiaoke.conftest import flt
from tests.support.sandbox import PROJECT_DIR, server_environment


def test_a_seed_gives_a_fresh_tenant_and_its_connection_details(sandbox):
    first = sandbox.seed(size=3, systems=["fxiaoke"])["fxiaoke"]
    second = sandbox.seed(size=3, systems=["fxiaoke"])["fxiaoke"]

    assert first["base_url"] == "/sandbox/fxiaoke"
    assert first["app_id"].startswith("FSAID_") and len(first["app_id"]) == 13
    assert first["open_user_id"].startswith("FSUID_") and first["mobile"] == "13800000001"
    assert first["tenant"] == first["corp_id"]
    assert {first[k] for k in ("app_id", "app_secret", "permanent_code", "corp_id")}.isdisjoint(
        {second[k] for k in ("app_id", "app_secret", "permanent_code", "corp_id")}
    )


def test_products_carry_the_erp_material_numbers_and_orders_use_seeded_records(fx):
    dataset = build_dataset(size=10, seed=42)

    products = {r["_id"]: r["product_code"] for r in fx.rows("ProductObj", limit=100)}
    accounts = {r["_id"] for r in fx.rows("AccountObj", limit=100)}
    orders = fx.rows("SalesOrderObj", limit=100)
    order_lines = fx.rows("SalesOrderProductObj", limit=100)

    assert sorted(products.values()) == sorted(p["number"] for p in dataset.products)
    assert sorted(o["name"] for o in orders) == sorted(o["key"] for o in dataset.orders)
    assert {o["account_id"] for o in orders} <= accounts
    assert {line["product_id"] for line in order_lines} <= set(products)
    assert len(order_lines) == sum(len(o["lines"]) for o in dataset.orders)


def test_the_simulation_edits_accounts_so_an_incremental_pull_sees_them(fx, sandbox):
    watermark = max(r["last_modified_time"] for r in fx.rows("AccountObj"))

    result = sandbox.simulate("fxiaoke", tenant=fx.tenant["tenant"], edit=0.3, seed=1)

    changed = fx.rows("AccountObj", [flt("last_modified_time", "GT", str(watermark))])
    assert result[fx.tenant["tenant"]]["edited"] == 3
    assert len(changed) == 3 and all(r["remark"].startswith("客户资料已更新") for r in changed)


def test_the_simulations_changes_are_stamped_with_a_person_and_api_writes_with_the_api_user(fx, sandbox):
    accounts = fx.rows("AccountObj", limit=2)
    update = {"object_data": {"dataObjectApiName": "AccountObj", "_id": accounts[1]["_id"], "remark": "接口"}}
    assert fx.call("/cgi/crm/v2/data/update", update)["errorCode"] == 0

    result = sandbox.simulate(
        "fxiaoke", tenant=fx.tenant["tenant"], save={"AccountObj": {accounts[0]["_id"]: {"remark": "接口"}}}
    )

    assert result[fx.tenant["tenant"]]["saved"] == 1
    by_person, by_api = (fx.get("AccountObj", a["_id"])["data"] for a in accounts)
    assert by_person["remark"] == by_api["remark"] == "接口"  # the same value, saved by different people
    assert by_person["last_modified_by"] == [fx.tenant["sales_open_user_id"]]
    assert by_api["last_modified_by"] == [fx.tenant["open_user_id"]]
    assert by_person["last_modified_time"] > accounts[0]["last_modified_time"]


def test_a_simulated_save_of_an_unknown_record_or_value_is_refused(sandbox, tenant):
    for save in ({"AccountObj": {"f" * 24: {"remark": "x"}}}, {"AccountObj": {"f" * 24: {"nope": "x"}}}):
        response = requests.post(
            f"{sandbox.base_url}/sandbox/control/simulate/fxiaoke",
            json={"tenant": tenant["tenant"], "save": save},
            timeout=30,
        )

        assert response.status_code == 400


def test_an_import_of_detail_records_alone_is_refused(sandbox, tenant):
    response = requests.post(
        f"{sandbox.base_url}/sandbox/control/simulate/fxiaoke",
        json={"tenant": tenant["tenant"], "import_records": {"SalesOrderProductObj": 5}},
        timeout=30,
    )

    assert response.status_code == 400
    assert "not a detail object" in response.json()["error"]


def test_the_sandbox_command_sets_this_systems_switches_on_the_running_server(fx, sandbox):
    env = server_environment(sandbox.data_dir)
    command = [
        sys.executable,
        "manage.py",
        "sandbox",
        "faults",
        "fxiaoke",
        "--set",
        "quota_mode=none",
        "--set",
        "rate_limit=7",
    ]

    output = subprocess.run(
        command, cwd=PROJECT_DIR, env=env, capture_output=True, text=True, timeout=120, check=True
    )

    switches = json.loads(output.stdout)["fxiaoke"]
    assert (switches["quota_mode"], switches["rate_limit"], switches["token_limit_per_minute"]) == (
        "none",
        7,
        10,
    )
    assert fx.post("/cgi/crm/v2/object/list", fx.auth())["errorCode"] == 30003
