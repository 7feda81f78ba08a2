"""A value-map entry naming an ERP number that does not exist fails its records, naming the entry.

Over HTTP against both sandboxes. The K3Cloud sandbox refuses unknown references only when
IsVerifyBaseDataField is true, as the real server does; the text of its refusal is the
sandbox's own (the real server's words for it were not found in public sources), so nothing
here depends on that text: the field the ERP names and the mapping decide.
"""

import random

import pytest

from syncjobs.models import RecordStatus, SyncRecord
from syncjobs.services import sync
from tests.syncjobs.engine.scenarios import Hub
from tests.syncjobs.factories import make_mapping, make_value_map

TYPES = "customer-types"
TYPES_NAME = "客户类型 → 客户类别"


@pytest.fixture(autouse=True)
def fast_client_retries(settings):
    settings.INTEGRATION_HUB_RETRY_BASE_SECONDS = 0.01
    settings.INTEGRATION_HUB_RETRY_CAP_SECONDS = 0.05


@pytest.fixture
def hub(db, sandbox):
    sandbox.set_faults("fxiaoke", rate_limit=100000, token_limit_per_minute=1000)
    return Hub(sandbox, size=12)


def run(flow):
    flow.refresh_from_db()
    return sync.run_now(flow, sleep=lambda s: None, rng=random.Random(1))


def customers_by_type(hub, entries, **options):
    """The customers flow with the (required) customer type taken from value map ``entries``."""
    flow = hub.customers(options=options)
    make_value_map(TYPES, entries, name=TYPES_NAME)
    params = {"map": TYPES}
    make_mapping(flow, "FCustTypeId.FNumber", "account_type", "value_map", params, required=True, position=6)
    return flow


def of_type(result, account_type):
    records = SyncRecord.objects.filter(run=result).order_by("id")
    return [r for r in records if r.source_snapshot.get("account_type") == account_type]


def test_an_entry_naming_a_missing_customer_type_fails_its_records_and_names_the_entry(hub):
    flow = customers_by_type(hub, {"1": "KHLB404_SYS", "2": "KHLB002_SYS", "3": "KHLB001_SYS"})

    result = run(flow)

    refused = of_type(result, "1")
    assert refused and {r.status for r in refused} == {RecordStatus.FAILED}
    assert result.failed_count == len(refused)
    record = refused[0]
    assert f"value map “{TYPES_NAME}”, entry “1” → “KHLB404_SYS”" in record.error_message
    assert record.error_field.casefold() == "fcusttypeid"
    assert record.response_excerpt["value_map_entries"] == [
        {
            "map": TYPES,
            "name": TYPES_NAME,
            "source_value": "1",
            "target_value": "KHLB404_SYS",
            "source_path": "account_type",
            "target_path": "FCustTypeId.FNumber",
        }
    ]
    names = {row["FName"] for row in hub.records(hub.erp, "BD_Customer", ["FName"]).values()}
    created = {r.source_snapshot["name"] for r in refused if r.action == "create"}
    assert created and not created & names  # nothing half-saved with the field blank


def test_records_whose_entries_name_existing_numbers_are_written(hub):
    flow = customers_by_type(hub, {"1": "KHLB002_SYS", "2": "KHLB002_SYS", "3": "KHLB001_SYS"})

    result = run(flow)

    written = of_type(result, "1")
    assert written and {r.status for r in written} == {RecordStatus.SUCCEEDED}
    types = hub.records(hub.erp, "BD_Customer", ["FCustTypeId.FNumber"])
    assert {types[r.target_id]["FCustTypeId.FNumber"] for r in written} == {"KHLB002_SYS"}


def test_with_verification_off_the_erp_leaves_the_field_blank_and_the_record_succeeds(hub):
    flow = customers_by_type(hub, {"1": "KHLB404_SYS", "2": "KHLB002_SYS"}, verify_base_data=False)

    result = run(flow)

    blanked = of_type(result, "1")
    assert blanked and {r.status for r in blanked} == {RecordStatus.SUCCEEDED}
    assert {r.action for r in blanked} >= {"create"}
    types = hub.records(hub.erp, "BD_Customer", ["FCustTypeId.FNumber"])
    assert {types[r.target_id]["FCustTypeId.FNumber"] for r in blanked} == {None}


def test_an_entry_naming_a_missing_salesman_fails_its_records_and_names_the_entry(hub):
    owners = hub.records(hub.crm, "AccountObj", ["owner__r.id"])
    owner_ids = sorted({str(data["owner__r"]["id"]) for data in owners.values()})
    flow = hub.customers()
    make_value_map("salesmen", {owner: "E404" for owner in owner_ids}, name="负责人 → 销售员")
    params = {"map": "salesmen", "default": None}
    make_mapping(flow, "FSELLER.FNumber", "owner__r.id", "value_map", params, position=6)

    result = run(flow)

    records = list(SyncRecord.objects.filter(run=result, action__in=["create", "update"]))
    assert records and {r.status for r in records} == {RecordStatus.FAILED}
    record = records[0]
    owner = str(record.source_snapshot["owner__r"]["id"])
    assert f"value map “负责人 → 销售员”, entry “{owner}” → “E404”" in record.error_message
    assert record.response_excerpt["value_map_entries"][0]["target_path"] == "FSELLER.FNumber"
