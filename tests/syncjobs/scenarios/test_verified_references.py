"""The shipped flows with base-data verification on: a value-map entry naming a number the ERP
lacks fails the record, naming the entry, until the entry is corrected."""

from syncjobs.engine.dispatch import InlineDispatcher
from syncjobs.models import RecordStatus, ValueMap, ValueMapEntry
from syncjobs.services import sync
from tests.syncjobs.scenarios.test_customers_and_contacts import customer_rows, make_account


def rerun(record):
    dispatcher = InlineDispatcher()
    [run] = sync.rerun_records([record.pk], dispatcher=dispatcher)
    sync.execute_run(run.pk, dispatcher=dispatcher, sleep=lambda seconds: None)


def test_a_customer_type_entry_naming_a_missing_number_fails_until_the_entry_is_corrected(site):
    account_types = ValueMap.objects.get(slug="account-type-customer-type")
    account_types.entries.filter(source_value="2").update(target_value="KHLB404_SYS")
    account = make_account(site, "91330100MA2VRFY01X", account_type="2")

    site.run("customers", ids=[account])

    failed = site.outcome("customers", account)
    assert (failed.status, failed.error_field) == (RecordStatus.FAILED, "FCustTypeId")
    assert f"value map “{account_types.name}”, entry “2” → “KHLB404_SYS”" in failed.error_message
    assert customer_rows(site, "91330100MA2VRFY01X") == []

    account_types.entries.filter(source_value="2").update(target_value="KHLB002_SYS")
    rerun(failed)

    assert site.outcome("customers", account).status == RecordStatus.SUCCEEDED
    assert customer_rows(site, "91330100MA2VRFY01X")[0]["FCustTypeId.FNumber"] == "KHLB002_SYS"


def test_a_salesman_entry_naming_a_missing_number_fails_the_customer_naming_the_entry(site):
    ValueMapEntry.objects.filter(value_map__slug="crm-user-erp-salesman").update(target_value="E404")
    salesmen = ValueMap.objects.get(slug="crm-user-erp-salesman")
    account = make_account(site, "91330100MA2VRFY02X")

    site.run("customers", ids=[account])

    failed = site.outcome("customers", account)
    owner = str(failed.source_snapshot["owner__r"]["id"])
    assert (failed.status, failed.error_field) == (RecordStatus.FAILED, "FSELLER")
    assert f"value map “{salesmen.name}”, entry “{owner}” → “E404”" in failed.error_message
