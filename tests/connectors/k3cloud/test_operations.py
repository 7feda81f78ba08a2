"""Save, BatchSave, Draft, View, Delete and both query services against the sandbox."""

import pytest

from connectors.k3cloud.errors import (
    DocumentNotFoundError,
    DuplicateNumberError,
    MissingReferenceError,
    UnknownFieldError,
    UnknownFormError,
    ValidationFailedError,
)


@pytest.fixture
def client(make_client):
    return make_client("password")


def name_of(document):
    names = document["Name"]
    return next(n["Value"] for n in names if n["Key"] == 2052) if isinstance(names, list) else names


def test_save_creates_an_auto_numbered_record_that_view_returns(client):
    result = client.save("BD_Customer", {"FName": "上海测试贸易有限公司"})

    assert isinstance(result.id, int) and result.number
    assert result.entities[0].dindex == 0
    document = client.view("BD_Customer", number=result.number)
    assert document["Id"] == result.id
    assert name_of(document) == "上海测试贸易有限公司"
    assert client.view("BD_Customer", id=result.id)["Number"] == result.number


def test_save_with_the_primary_key_updates_only_the_named_fields(client):
    created = client.save("BD_Customer", {"FName": "旧名称", "FShortName": "旧简称"})

    updated = client.save(
        "BD_Customer",
        {"FCUSTID": created.id, "FName": "新名称"},
        need_update_fields=["FName"],
    )

    assert updated.id == created.id
    row = next(client.query("BD_Customer", "FName,FShortName", f"FCUSTID={created.id}"))
    assert row == {"FName": "新名称", "FShortName": "旧简称"}


def test_duplicate_number_raises_a_typed_error_with_the_erp_message(client):
    created = client.save("BD_Customer", {"FName": "重复编码甲"})

    with pytest.raises(DuplicateNumberError) as raised:
        client.save("BD_Customer", {"FNumber": created.number, "FName": "重复编码乙"})

    assert raised.value.message == f"违反字段唯一性要求：编码唯一。[{created.number}]在当前系统中已经被使用。"
    assert raised.value.field == "FNumber"
    assert raised.value.code == 11


def test_missing_required_field_names_the_field(client):
    with pytest.raises(ValidationFailedError) as raised:
        client.save("BD_Customer", {"FShortName": "无名客户"})
    assert raised.value.field == "FName"
    assert "是必填项" in raised.value.message


def test_reference_to_missing_base_data_is_a_typed_error_with_the_erp_message(client):
    with pytest.raises(MissingReferenceError) as raised:
        client.save(
            "BD_Customer",
            {"FName": "引用测试客户", "FTRADINGCURRID": {"FNumber": "NO-SUCH-CURRENCY"}},
            is_verify_base_data_field=True,
        )
    assert "NO-SUCH-CURRENCY" in raised.value.message
    assert raised.value.field == "FTRADINGCURRID"


def test_batch_save_reports_each_row_by_its_index(client):
    existing = client.save("BD_Customer", {"FName": "批量已存在"})
    models = [
        {"FName": "批量甲"},
        {"FNumber": existing.number, "FName": "批量重复"},
        {"FName": "批量乙"},
        {"FShortName": "批量无名"},
    ]

    result = client.batch_save("BD_Customer", models)

    assert [row.ok for row in result.rows] == [True, False, True, False]
    assert "已经被使用" in result.rows[1].message
    assert result.rows[3].errors[0].field_name == "FName"
    saved = {row.entity.number: row.entity.id for row in result.saved}
    found = {
        r["FNumber"]: r["FCUSTID"]
        for r in client.query("BD_Customer", "FNumber,FCUSTID", "FName like '批量%'")
    }
    assert saved.items() <= found.items()
    assert len(saved) == 2


def test_draft_is_status_z_and_delete_removes_it(client):
    draft = client.draft("BD_Customer", {"FName": "暂存客户"})
    assert client.view("BD_Customer", number=draft.number)["DocumentStatus"] == "Z"

    deleted = client.delete("BD_Customer", numbers=[draft.number])

    assert deleted.status.is_success
    with pytest.raises(DocumentNotFoundError):
        client.view("BD_Customer", number=draft.number)


def test_view_of_a_missing_number_raises_not_found(client):
    with pytest.raises(DocumentNotFoundError):
        client.view("BD_Customer", number="NO-SUCH-NUMBER")


def test_query_rows_are_dicts_keyed_by_field_keys_including_references(client, erp):
    rows = list(
        client.query("BD_Customer", ["FNumber", "FName", "FCreateOrgId.FNumber"], order_string="FNumber")
    )

    assert rows and set(rows[0]) == {"FNumber", "FName", "FCreateOrgId.FNumber"}
    assert all(row["FCreateOrgId.FNumber"] for row in rows)
    assert [r["FNumber"] for r in rows] == sorted(r["FNumber"] for r in rows)


def test_bill_query_gives_the_same_rows_as_execute_bill_query(client):
    keys = ["FCUSTID", "FNumber", "FName"]
    assert list(client.bill_query("BD_Customer", keys, order_string="FCUSTID")) == list(
        client.query("BD_Customer", keys, order_string="FCUSTID")
    )


def test_unknown_form_raises_a_typed_error(client):
    with pytest.raises(UnknownFormError) as raised:
        list(client.query("BD_NoSuchForm", "FNumber"))
    assert "业务对象不存在" in raised.value.message


def test_unknown_field_in_the_filter_raises_a_typed_error_naming_it(client):
    with pytest.raises(UnknownFieldError) as raised:
        list(client.query("BD_Customer", "FNumber", "FIssueType = 'x'"))
    assert raised.value.message == "元数据中标识为FIssueType的字段不存在"
    assert raised.value.field == "FIssueType"


def test_every_call_is_counted_per_operation(client):
    client.save("BD_Customer", {"FName": "计数客户"})
    list(client.query("BD_Customer", "FNumber", max_rows=1))

    counts = client.api.state.call_counts(client.config.connector_key)

    assert counts == {"ValidateUser": 1, "Save": 1, "ExecuteBillQuery": 1}


def test_save_returns_the_fields_asked_for(client):
    result = client.save("BD_Customer", {"FName": "回传字段客户"}, need_return_fields=["FNumber", "FName"])

    returned = result.need_return_data[0]
    assert returned["FNumber"] == result.number
    assert "回传字段客户" in str(returned["FName"])
