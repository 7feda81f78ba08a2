"""Save: keys in the wrong place, IsDeleteEntry's empty lists, numbers out of range, reply shapes.

The real replies these follow are named in the sandbox's docstrings (writer.py, values.py,
viewing.py, messages.py); most have a single public source, so the sandbox is the strict side.
"""

import json

from k3cloud_webapi_sdk.main import K3CloudApiSdk

HUGE = 10**309  # what a client writing Decimal("1e309") in full sends: a 310-digit number


def status(reply):
    return reply["Result"]["ResponseStatus"]


def refusal(key, caption=None, entity="BillHead"):
    named = f"Key:{key},name:{caption}" if caption else f"Key:{key}"
    return (
        f"ResolveFiled_InnerEx解析字段({named})时发生异常,异常信息:实体不存在此属性！[EntityType：{entity}]"
    )


def order_count(erp):
    return len(erp.query("SAL_SaleOrder", "FID"))


# --- keys in the wrong place (issue item 7) ---------------------------------------------------


def test_an_entry_field_on_the_header_is_refused_with_the_real_text(erp):
    before = order_count(erp)
    reply = erp.save("SAL_SaleOrder", {**erp.order_model(), "FQty": 5})
    assert status(reply)["IsSuccess"] is False and status(reply)["ErrorCode"] == 500
    assert status(reply)["Errors"] == [
        {"FieldName": None, "Message": refusal("FQty", "销售数量"), "DIndex": 0}
    ]
    assert order_count(erp) == before


def test_a_misspelled_key_is_refused(erp):
    errors = status(erp.save("BD_Customer", {"FName": "拼错", "FTELL": "021-1"}))["Errors"]
    assert errors == [{"FieldName": None, "Message": refusal("FTELL"), "DIndex": 0}]
    assert erp.query("BD_Customer", "FNumber", "FName = '拼错'") == []


def test_a_header_field_in_an_entry_row_is_refused_naming_the_entry(erp):
    model = erp.order_model()
    model["FSaleOrderEntry"][0]["FNote"] = "放错了"
    errors = status(erp.save("SAL_SaleOrder", model))["Errors"]
    assert errors == [{"FieldName": None, "Message": refusal("FNote", "备注", "SaleOrderEntry"), "DIndex": 0}]


def test_a_sub_head_field_belongs_in_its_sub_head(erp):
    outside = status(erp.save("SAL_SaleOrder", {**erp.order_model(), "FSettleCurrId": {"FNumber": "PRE001"}}))
    assert outside["Errors"][0]["Message"] == refusal("FSettleCurrId", "结算币别")
    inside = erp.order_model(FSaleOrderFinance={"FSettleCurrId": {"FNumber": "PRE001"}, "FCustId": "x"})
    errors = status(erp.save("SAL_SaleOrder", inside))["Errors"]
    assert [e["Message"] for e in errors] == [refusal("FCustId", "客户", "SaleOrderFinance")]
    erp.saved("SAL_SaleOrder", erp.order_model(FSaleOrderFinance={"FSettleCurrId": {"FNumber": "PRE001"}}))


def test_batch_save_refuses_only_the_row_with_a_misplaced_key(erp):
    models = [{"FName": "好一"}, {"FName": "坏", "FNAME1": "地址"}, {"FName": "好二"}]
    result = status(
        erp.call("DynamicFormService.BatchSave", {"formid": "BD_Customer", "data": {"Model": models}})
    )
    assert [e["DIndex"] for e in result["SuccessEntitys"]] == [0, 2]
    assert result["Errors"] == [{"FieldName": None, "Message": refusal("FNAME1", "地点名称"), "DIndex": 1}]


def test_the_official_sdk_sees_the_refusal(anonymous):
    tenant = anonymous.tenant
    sdk = K3CloudApiSdk(anonymous.sandbox.k3cloud_url, timeout=30)
    sdk.InitConfig(
        tenant["acct_id"],
        tenant["username"],
        tenant["app_id"],
        tenant["app_secret"],
        anonymous.sandbox.k3cloud_url,
    )
    reply = json.loads(sdk.Save("BD_Customer", {"Model": {"FName": "SDK", "FBANKCODE": "6222"}}))
    assert status(reply)["Errors"][0]["Message"] == refusal("FBANKCODE", "银行账号")


# --- IsDeleteEntry and empty entry lists (issue item 6) --------------------------------------


def contact_rows(erp, record_id):
    return [row[0] for row in erp.query("BD_Customer", "FNAME1", f"FCUSTID={record_id}") if row[0]]


def customer_with_two_addresses(erp):
    model = {"FName": "两个地址", "FT_BD_CUSTCONTACT": [{"FNAME1": "仓一"}, {"FNAME1": "仓二"}]}
    return erp.saved("BD_Customer", model)[0]


def test_an_empty_entry_list_leaves_the_rows_alone(erp):
    record_id = customer_with_two_addresses(erp)
    erp.saved("BD_Customer", {"FCUSTID": record_id, "FTEL": "1", "FT_BD_CUSTCONTACT": []})
    assert contact_rows(erp, record_id) == ["仓一", "仓二"]


def test_one_empty_row_clears_the_entity(erp):
    record_id = customer_with_two_addresses(erp)
    erp.saved("BD_Customer", {"FCUSTID": record_id, "FT_BD_CUSTCONTACT": [{}]})
    assert contact_rows(erp, record_id) == []
    view = erp.op("View", "BD_Customer", {"Id": record_id})["Result"]["Result"]
    assert view["T_BD_CUSTCONTACT"] == []


def test_one_empty_row_keeps_the_rows_when_entries_are_not_deleted(erp):
    record_id = customer_with_two_addresses(erp)
    erp.saved("BD_Customer", {"FCUSTID": record_id, "FT_BD_CUSTCONTACT": [{}]}, IsDeleteEntry=False)
    assert contact_rows(erp, record_id) == ["仓一", "仓二"]


def test_clearing_the_lines_of_an_order_is_refused_as_a_bill_needs_a_line(erp):
    order_id, _ = erp.saved("SAL_SaleOrder", erp.order_model())
    errors = status(erp.save("SAL_SaleOrder", {"FID": order_id, "FSaleOrderEntry": [{}]}))["Errors"]
    assert errors == [
        {"FieldName": "FSaleOrderEntry", "Message": "单据体实体【订单明细】至少需要录入一行分录", "DIndex": 0}
    ]
    assert len(erp.query("SAL_SaleOrder", "FSaleOrderEntry_FEntryID", f"FID={order_id}")) == 1


# --- numbers that do not fit (issue item 4, sandbox half) -----------------------------------


def test_a_310_digit_price_is_a_row_error_and_the_other_rows_save(erp):
    good = erp.order_model()
    huge = erp.order_model()
    huge["FSaleOrderEntry"][0]["FTaxPrice"] = HUGE
    body = {"formid": "SAL_SaleOrder", "data": {"Model": [good, huge, erp.order_model()]}}
    response = erp.post("DynamicFormService.BatchSave", body)
    assert response.status_code == 200
    result = status(response.json())
    assert [e["DIndex"] for e in result["SuccessEntitys"]] == [0, 2]
    shown = f"{str(HUGE)[:20]}…{str(HUGE)[-10:]}"
    assert result["Errors"] == [
        {"FieldName": "FTaxPrice", "Message": f"字段“含税单价”的值“{shown}”超出允许的范围", "DIndex": 1}
    ]


def test_text_in_a_decimal_field_is_a_row_error_naming_the_field(erp):
    bad = erp.order_model()
    bad["FSaleOrderEntry"][0]["FQty"] = "abc"
    body = {"formid": "SAL_SaleOrder", "data": {"Model": [erp.order_model(), bad]}}
    result = status(erp.call("DynamicFormService.BatchSave", body))
    assert [e["DIndex"] for e in result["SuccessEntitys"]] == [0]
    assert {"FieldName": "FQty", "Message": "字段“销售数量”的值“abc”格式不正确", "DIndex": 1} in result[
        "Errors"
    ]


def test_an_amount_too_large_for_its_column_is_a_row_error(erp):
    line = ("01.0001", "9999999999999", "9999999999999")  # each fits; their product does not
    result = status(erp.save("SAL_SaleOrder", erp.order_model(lines=(line,))))
    assert result["IsSuccess"] is False
    assert {e["FieldName"] for e in result["Errors"]} >= {"FAmount", "FAllAmount", "FBillAllAmount"}
    assert all(e["DIndex"] == 0 and "超出允许的范围" in e["Message"] for e in result["Errors"])


def test_the_largest_amount_that_fits_is_kept_to_the_cent(erp):
    line = ("01.0001", "1", "9999999999999.99")
    order_id, _ = erp.saved("SAL_SaleOrder", erp.order_model(lines=(line,)))
    view = erp.op("View", "SAL_SaleOrder", {"Id": order_id})["Result"]["Result"]
    assert view["SaleOrderFinance"][0]["BillAllAmount"] == 9999999999999.99


def test_an_integer_field_out_of_range_is_a_row_error(erp):
    model = {
        "FCONTACTUNIT": {"FNumber": "CUST0001"},
        "FRECEIVEBILLENTRY": [
            {"FSETTLETYPEID": {"FNumber": "JSFS01_SYS"}, "FRECTOTALAMOUNTFOR": 1, "FSaleOrderID": 2**31}
        ],
    }
    errors = status(erp.save("AR_RECEIVEBILL", model))["Errors"]
    assert errors[0]["FieldName"] == "FSaleOrderID" and "超出允许的范围" in errors[0]["Message"]


# --- small shapes (issue item 12) --------------------------------------------------------------


def test_saving_an_audited_bill_is_refused_with_an_empty_field_name(erp):
    order_id, _ = erp.audited_order()
    errors = status(erp.save("SAL_SaleOrder", {"FID": order_id, "FNote": "改"}))["Errors"]
    assert [(e["FieldName"], e["DIndex"]) for e in errors] == [("", 0)]


def test_view_of_base_data_carries_multi_language_text(erp):
    record_id, _ = erp.saved(
        "BD_Customer", {"FName": "多语言", "FShortName": "多", "FTRADINGCURRID": {"FNumber": "PRE001"}}
    )
    model = erp.op("View", "BD_Customer", {"Id": record_id})["Result"]["Result"]
    assert model["MultiLanguageText"] == [
        {"PkId": record_id, "LocaleId": 2052, "Name": "多语言", "ShortName": "多", "Description": " "}
    ]
    assert model["Name"] == [{"Key": 2052, "Value": "多语言"}]
    currency = model["TRADINGCURRID"]
    assert currency["MultiLanguageText"] == [{"PkId": currency["Id"], "LocaleId": 2052, "Name": "人民币"}]
    assert currency["Name"] == [{"Key": 2052, "Value": "人民币"}] and currency["Number"] == "PRE001"


def test_view_of_a_bill_carries_multi_language_text_on_its_references(erp):
    order_id, _ = erp.saved("SAL_SaleOrder", erp.order_model())
    model = erp.op("View", "SAL_SaleOrder", {"Id": order_id})["Result"]["Result"]
    assert "MultiLanguageText" not in model  # a sales order has no multilingual field of its own
    customer = model["CustId"]
    assert customer["MultiLanguageText"][0]["LocaleId"] == 2052
    assert customer["MultiLanguageText"][0]["Name"] == customer["Name"][0]["Value"]
