"""Request bodies and query paging, without HTTP."""

import pytest

from connectors.k3cloud import K3CloudConfig, bodies
from connectors.k3cloud.query import field_key_list, paged, query_body, rows_as_dicts


def test_service_url_joins_server_and_service():
    config = K3CloudConfig("http://erp/k3cloud", "a", "u", "password")
    assert config.service_url("DynamicFormService.Save") == (
        "http://erp/k3cloud/Kingdee.BOS.WebApi.ServicesStub.DynamicFormService.Save.common.kdsvc"
    )


def test_save_data_maps_options_to_the_erp_keys_and_sends_only_given_ones():
    data = bodies.save_data({"FNumber": "C1"}, {"need_update_fields": ["FName"], "is_delete_entry": False})
    assert data == {"NeedUpDateFields": ["FName"], "IsDeleteEntry": False, "Model": {"FNumber": "C1"}}


def test_save_data_refuses_unknown_options():
    with pytest.raises(TypeError, match="IsDeleteEntry"):
        bodies.save_data({}, {"IsDeleteEntry": False})


def test_documents_data_names_documents_by_numbers_or_ids():
    assert bodies.documents_data(numbers=["SO1", "SO2"]) == {
        "CreateOrgId": 0,
        "Numbers": ["SO1", "SO2"],
        "Ids": "",
    }
    assert bodies.documents_data(ids=[1, 2])["Ids"] == "1,2"
    assert bodies.documents_named(ids="7,8") == [("Id", 7), ("Id", 8)]
    with pytest.raises(ValueError):
        bodies.documents_data()


def test_view_data_needs_exactly_one_key():
    assert bodies.view_data(number="C1") == {"CreateOrgId": 0, "Number": "C1", "IsSortBySeq": False}
    with pytest.raises(ValueError):
        bodies.view_data(number="C1", id=3)


def test_push_and_allocate_bodies():
    push = bodies.push_data(["SO1"], rule_id="SaleOrder-DeliveryNotice", target_form_id="SAL_DELIVERYNOTICE")
    assert push["Numbers"] == ["SO1"] and push["RuleId"] == "SaleOrder-DeliveryNotice"
    assert bodies.allocate_data([5], [2, 3]) == {
        "PkIds": "5",
        "TOrgIds": "2,3",
        "IsAutoSubmitAndAudit": False,
    }


def test_form_body_adds_the_operation_number_for_excute_operation():
    assert bodies.form_body("BD_Customer", {"Ids": "1"}, op_number="Forbid") == {
        "formid": "BD_Customer",
        "data": {"Ids": "1"},
        "opNumber": "Forbid",
    }


def test_record_numbers_names_the_records_of_a_lost_write():
    assert bodies.record_numbers([{"FNumber": "C1"}, {"FBillNo": "SO9"}, {"FName": "x"}]) == ["C1", "SO9"]


def test_query_body_keeps_field_key_order_and_no_top_row_count():
    keys = field_key_list(" FID, FNumber ,FCustId.FNumber")
    assert query_body("SAL_SaleOrder", keys, "FDocumentStatus='C'", "FID ASC", 2000, 500) == {
        "FormId": "SAL_SaleOrder",
        "FieldKeys": "FID,FNumber,FCustId.FNumber",
        "FilterString": "FDocumentStatus='C'",
        "OrderString": "FID ASC",
        "TopRowCount": 0,
        "StartRow": 2000,
        "Limit": 500,
    }


def test_rows_become_dicts_keyed_by_field_keys_for_both_services(load_fixture):
    keys = ["FID", "FNumber", "FName", "FModifyDate"]
    rows = list(rows_as_dicts(load_fixture("query_rows.json"), keys))
    assert rows[0] == {
        "FID": 100001,
        "FNumber": "C0001",
        "FName": "上海华信科技有限公司",
        "FModifyDate": "2025-01-02T00:00:00",
    }
    assert list(rows_as_dicts([{"fnumber": "C1"}], ["FNumber"])) == [{"FNumber": "C1"}]


def page_source(total):
    calls = []

    def fetch(start, limit):
        calls.append((start, limit))
        return list(range(start, min(start + limit, total)))

    return fetch, calls


def test_paging_advances_until_a_short_page():
    fetch, calls = page_source(4500)
    assert list(paged(fetch, 2000)) == list(range(4500))
    assert calls == [(0, 2000), (2000, 2000), (4000, 2000)]


def test_paging_asks_one_more_page_when_the_total_is_a_multiple_of_the_page():
    fetch, calls = page_source(4000)
    assert len(list(paged(fetch, 2000))) == 4000
    assert calls[-1] == (4000, 2000)


def test_paging_caps_the_page_at_2000_and_stops_at_max_rows():
    fetch, calls = page_source(10_000)
    assert len(list(paged(fetch, 5000, max_rows=2500))) == 2500
    assert calls == [(0, 2000), (2000, 500)]


def test_paging_is_lazy():
    fetch, calls = page_source(10_000)
    rows = paged(fetch, 100)
    assert next(rows) == 0
    assert calls == [(0, 100)]
