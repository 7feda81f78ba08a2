"""Scenarios 1 and 2: CRM accounts → ERP customers (audited, allocated, number written back),
CRM contacts → ERP contacts of their customer. Hand-built records, checked field by field."""

from syncjobs.engine.dispatch import InlineDispatcher
from syncjobs.models import RecordStatus, RunStatus, ValueMap, ValueMapEntry
from syncjobs.services import sync

CUSTOMER_KEYS = [
    "FNumber",
    "FName",
    "FSOCIALCRECODE",
    "FTAXREGISTERCODE",
    "FINVOICETITLE",
    "FCustTypeId.FNumber",
    "FTEL",
    "FADDRESS",
    "FCOUNTRY.FNumber",
    "FPROVINCIAL.FNumber",
    "FSELLER.FNumber",
    "FTRADINGCURRID.FNumber",
    "FUseOrgId.FNumber",
    "FDocumentStatus",
]


def make_account(site, tax_code, **fields):
    values = {
        "name": "杭州精测仪器有限公司",
        "account_type": "2",
        "tel": "0571-88886666",
        "country": "中国",
        "province": "浙江省",
        "city": "杭州",
        "address": "浙江省杭州市文一路100号",
        "field_x2Tax__c": tax_code,
        "owner": [site.crm_tenant["sales_open_user_id"]],
        **fields,
    }
    return site.crm.client.create("AccountObj", values)


def customer_rows(site, tax_code):
    rows = site.erp_rows("BD_Customer", CUSTOMER_KEYS, f"FSOCIALCRECODE = '{tax_code}'")
    return sorted(rows, key=lambda row: row["FUseOrgId.FNumber"])


def test_an_account_becomes_an_audited_customer_in_every_use_organisation(site):
    account = make_account(site, "91330100MA2SCEN01X")

    run = site.run("customers", ids=[account])

    assert run.status == RunStatus.SUCCEEDED, run.message
    assert (run.created_count, run.failed_count) == (1, 0)
    rows = customer_rows(site, "91330100MA2SCEN01X")
    assert [row["FUseOrgId.FNumber"] for row in rows] == ["100", "101", "102"]
    assert {row["FDocumentStatus"] for row in rows} == {"C"}
    assert len({row["FNumber"] for row in rows}) == 1
    assert {key: value for key, value in rows[0].items() if key not in ("FNumber", "FUseOrgId.FNumber")} == {
        "FName": "杭州精测仪器有限公司",
        "FSOCIALCRECODE": "91330100MA2SCEN01X",
        "FTAXREGISTERCODE": "91330100MA2SCEN01X",
        "FINVOICETITLE": "杭州精测仪器有限公司",
        "FCustTypeId.FNumber": "KHLB002_SYS",
        "FTEL": "0571-88886666",
        "FADDRESS": "浙江省杭州市文一路100号",
        "FCOUNTRY.FNumber": "China",
        "FPROVINCIAL.FNumber": "330000",
        "FSELLER.FNumber": "E002",
        "FTRADINGCURRID.FNumber": "PRE001",
        "FDocumentStatus": "C",
    }
    assert site.outcome("customers", account).post_actions_done == ["submit", "audit", "allocate"]


def test_the_erp_number_is_written_back_onto_the_account_once(site):
    account = make_account(site, "91330100MA2SCEN02X")
    first = site.run("customers")
    number = customer_rows(site, "91330100MA2SCEN02X")[0]["FNumber"]

    drained = sync.drain_write_backs(sleep=lambda seconds: None)

    assert drained.done == first.read_count == 5  # the four seeded accounts and this one
    assert site.crm.client.get("AccountObj", account)["field_erpNo__c"] == number
    echo = site.run("customers")  # the write-backs changed only what the hub wrote: nothing is read
    assert (echo.read_count, echo.echo_count, echo.created_count, echo.updated_count) == (0, 5, 0, 0)
    assert sync.drain_write_backs(sleep=lambda seconds: None).done == 0


def test_a_customer_already_in_the_erp_is_adopted_by_its_tax_code(site):
    existing = site.erp_tenant["existing_customers"][0]
    account = site.first_id("AccountObj", field_x2Tax__c=existing["tax_code"])

    run = site.run("customers", ids=[account])

    assert run.failed_count == 0, site.outcome("customers", account).error_message
    rows = customer_rows(site, existing["tax_code"])
    assert {row["FNumber"] for row in rows} == {existing["number"]}
    assert [row["FUseOrgId.FNumber"] for row in rows] == ["100", "101", "102"]
    assert {row["FDocumentStatus"] for row in rows} == {"C"}


def test_an_unmapped_account_type_fails_with_its_reason_until_the_value_map_has_it(site):
    account = make_account(site, "91330100MA2SCEN03X", name="宁波合作伙伴有限公司", account_type="3")

    site.run("customers", ids=[account])

    failed = site.outcome("customers", account)
    assert failed.status == RecordStatus.FAILED
    assert failed.error_field == "FCustTypeId.FNumber"
    assert "“3” has no entry in value map “account-type-customer-type”" in failed.error_message
    assert customer_rows(site, "91330100MA2SCEN03X") == []

    account_types = ValueMap.objects.get(slug="account-type-customer-type")
    ValueMapEntry.objects.create(value_map=account_types, source_value="3", target_value="KHLB001_SYS")
    dispatcher = InlineDispatcher()
    [rerun] = sync.rerun_records([failed.pk], dispatcher=dispatcher)
    sync.execute_run(rerun.pk, dispatcher=dispatcher, sleep=lambda seconds: None)

    assert site.outcome("customers", account).status == RecordStatus.SUCCEEDED
    assert customer_rows(site, "91330100MA2SCEN03X")[0]["FCustTypeId.FNumber"] == "KHLB001_SYS"


def test_a_contact_is_linked_to_the_customer_its_account_became(site):
    account = make_account(site, "91330100MA2SCEN04X")
    contact = site.crm.client.create(
        "ContactObj",
        {
            "name": "周海燕",
            "account_id": account,
            "mobile1": "13900001234",
            "tel1": "0571-88886667",
            "email": "zhou@example.cn",
            "job_title": "采购经理",
        },
    )

    run = site.run("contacts", ids=[contact])  # the customer is synced first, as its parent

    assert run.status == RunStatus.SUCCEEDED, site.outcome("contacts", contact).error_message
    customer = customer_rows(site, "91330100MA2SCEN04X")[0]["FNumber"]
    keys = [
        "FName",
        "FCompanyType",
        "FCompany.FNumber",
        "FMobile",
        "FTel",
        "FEmail",
        "FPost",
        "FDocumentStatus",
    ]
    [row] = site.erp_rows("BD_COMMONCONTACT", keys, "FMobile = '13900001234'")
    assert row == {
        "FName": "周海燕",
        "FCompanyType": "BD_Customer",
        "FCompany.FNumber": customer,
        "FMobile": "13900001234",
        "FTel": "0571-88886667",
        "FEmail": "zhou@example.cn",
        "FPost": "采购经理",
        "FDocumentStatus": "C",
    }
