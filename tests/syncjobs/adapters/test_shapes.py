"""The adapters' pure parts: query shapes and filters, Save models, payload values, templates."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from connectors.errors import PermanentError
from syncjobs.adapters.base import ReadOptions, WriteItem
from syncjobs.adapters.fxiaoke_notify import render
from syncjobs.adapters.fxiaoke_read import Projection
from syncjobs.adapters.k3cloud_forms import form_info
from syncjobs.adapters.k3cloud_read import QueryShape, changed_filter
from syncjobs.adapters.k3cloud_write import save_model, update_field_keys
from syncjobs.adapters.values import for_fxiaoke, for_k3cloud


def test_query_keys_come_from_the_paths_plus_what_the_engine_needs():
    shape = QueryShape(
        "SAL_SaleOrder",
        ["FCustId.FNumber", "FSaleOrderEntry[].FMaterialId.FNumber", "FSaleOrderFinance.FBillAllAmount"],
    )

    assert shape.keys == [
        "FID",
        "FBillNo",
        "FModifyDate",
        "FApproveDate",
        "FSaleOrderEntry_FEntryID",
        "FCustId.FNumber",
        "FMaterialId.FNumber",
        "FBillAllAmount",
    ]
    assert shape.order == "FID ASC, FSaleOrderEntry_FEntryID ASC"


def test_entries_inside_entries_are_refused_with_the_path_named():
    with pytest.raises(PermanentError) as raised:
        QueryShape("SAL_DELIVERYNOTICE", ["FEntity[].FEntity_Link[].FEntity_Link_FSBillId"])

    assert raised.value.field == "FEntity[].FEntity_Link[].FEntity_Link_FSBillId"


def test_incremental_filter_is_in_erp_local_time_and_covers_the_audit_date():
    since = datetime(2026, 11, 1, 2, 30, 15, 900000, tzinfo=UTC)
    options = ReadOptions(audited_only=True, source_filter=["FSaleOrgId.FNumber = '101'"])

    text = changed_filter(form_info("SAL_SaleOrder"), since, options)

    assert text == (
        "(FModifyDate >= '2026-11-01 10:30:15' or FApproveDate >= '2026-11-01 10:30:15') and "
        "FDocumentStatus = 'C' and FCancelStatus <> 'B' and (FSaleOrgId.FNumber = '101')"
    )


def test_base_data_filters_keep_enabled_originals_and_translate_conditions():
    conditions = [{"field_name": "FName", "operator": "IN", "field_values": ["O'Neil", "B"]}]

    text = changed_filter(
        form_info("BD_Customer"), None, ReadOptions(audited_only=True, source_filter=conditions)
    )

    assert text == (
        "FDocumentStatus = 'C' and FForbidStatus = 'A' and FMASTERID = FCUSTID and FName in ('O''Neil','B')"
    )


def test_save_models_set_the_key_for_updates_and_keep_only_the_fields_to_update():
    form = form_info("BD_Customer")
    payload = {"FCUSTID": 5, "FName": "甲", "FTEL": "1", "FCustTypeId": {"FNumber": "KHLB001_SYS"}}

    create = save_model(form, WriteItem("a", payload))
    update = save_model(
        form, WriteItem("b", payload, target_id="100231", update_fields=["FTEL", "FCustTypeId"])
    )

    assert create == {"FName": "甲", "FTEL": "1", "FCustTypeId": {"FNumber": "KHLB001_SYS"}}
    assert update == {"FCUSTID": 100231, "FTEL": "1", "FCustTypeId": {"FNumber": "KHLB001_SYS"}}
    assert update_field_keys(form, [update]) == ["FTEL", "FCustTypeId"]


def test_update_fields_name_the_fields_inside_entries_and_sub_heads():
    form = form_info("SAL_SaleOrder")
    model = {
        "FID": 9,
        "FSaleOrderFinance": {"FExchangeRate": "1"},
        "FSaleOrderEntry": [{"FQty": "2", "FMaterialId": {"FNumber": "M1"}}],
    }

    assert update_field_keys(form, [model]) == [
        "FSaleOrderFinance",
        "FExchangeRate",
        "FSaleOrderEntry",
        "FQty",
        "FMaterialId",
    ]


def test_python_values_become_what_each_system_takes():
    payload = {
        "amount": Decimal("12.50"),
        "rate": 0.13,
        "day": date(2026, 11, 1),
        "lines": [{"qty": Decimal("2")}],
    }

    assert for_fxiaoke(payload) == {
        "amount": "12.50",
        "rate": "0.13",
        "day": 1793462400000,
        "lines": [{"qty": "2"}],
    }
    assert for_k3cloud({**payload, "at": datetime(2026, 11, 1, 2, 0, tzinfo=UTC)}) == {
        "amount": "12.50",
        "rate": "0.13",
        "day": "2026-11-01",
        "lines": [{"qty": "2"}],
        "at": "2026-11-01 10:00:00",
    }


def test_projection_reads_companions_through_their_field_and_lines_through_their_detail():
    projection = Projection(
        "SalesOrderObj", ["account_id__r.name", "owner.0", "SalesOrderProductObj[].product_id__r"]
    )

    assert projection.master_fields == [
        "_id",
        "name",
        "last_modified_time",
        "last_modified_by",
        "life_status",
        "account_id",
        "owner",
    ]
    assert projection.detail_fields("SalesOrderProductObj") == ["_id", "name", "order_id", "product_id"]


def test_a_template_placeholder_without_a_value_is_named():
    assert render("订单 {order} 已发货", {"order": "SO1"}) == "订单 SO1 已发货"
    with pytest.raises(PermanentError, match=r"\{number\}"):
        render("订单 {order} 发货单 {number}", {"order": "SO1"})
