"""Save, BatchSave and Draft: the spec's literal bodies and reply shapes, over HTTP."""

import json


def status(reply):
    return reply["Result"]["ResponseStatus"]


def test_save_reply_has_the_literal_success_shape(erp):
    reply = erp.save("BD_Customer", {"FName": "上海测试有限公司"})
    record_id = reply["Result"]["Id"]
    assert isinstance(record_id, int)
    assert reply == {
        "Result": {
            "ResponseStatus": {
                "IsSuccess": True,
                "Errors": [],
                "SuccessEntitys": [{"Id": record_id, "Number": "CUST0002", "DIndex": 0}],
                "SuccessMessages": [],
                "MsgCode": 0,
            },
            "Id": record_id,
            "Number": "CUST0002",
            "NeedReturnData": [{}],
        }
    }


def test_every_body_form_saves(erp):
    model = {"FName": "甲"}
    named_string = {"formid": "BD_Customer", "data": json.dumps({"Model": model}, ensure_ascii=False)}
    positional = {"parameters": ["BD_Customer", json.dumps({"Model": {"FName": "乙"}}, ensure_ascii=False)]}
    odd_case = {"FormId": "bd_customer", "Data": {"model": {"fname": "丙", "FTel": "1"}}}
    numbers = [
        status(erp.call("DynamicFormService.Save", body))["SuccessEntitys"][0]["Number"]
        for body in (named_string, positional, odd_case)
    ]
    rows = erp.query(
        "BD_Customer",
        "FName,FTEL",
        f"FNumber in ('{numbers[0]}','{numbers[1]}','{numbers[2]}')",
        OrderString="FNumber",
    )
    assert rows == [["甲", ""], ["乙", ""], ["丙", "1"]]


def test_form_encoded_body_saves(erp):
    body = {"FormId": "BD_Customer", "Data": json.dumps({"Model": {"FName": "表单编码"}}, ensure_ascii=False)}
    response = erp.http.post(erp.url("DynamicFormService.Save"), data=body, timeout=10)
    assert status(response.json())["IsSuccess"] is True


def test_update_by_primary_key_keeps_fcreatedate_and_moves_fmodifydate(erp, sandbox):
    record_id, number = erp.saved("BD_Customer", {"FName": "旧名", "FTEL": "1"})
    created, modified = erp.one("BD_Customer", "FCreateDate,FModifyDate", f"FCUSTID={record_id}")
    sandbox.advance_clock("k3cloud", 60)
    assert erp.saved("BD_Customer", {"FCUSTID": record_id, "FName": "新名"}) == (record_id, number)
    row = erp.one("BD_Customer", "FName,FTEL,FCreateDate,FModifyDate", f"FCUSTID={record_id}")
    assert row[:3] == ["新名", "1", created]
    assert row[3] > modified


def test_need_update_fields_changes_only_those(erp):
    record_id, _ = erp.saved("BD_Customer", {"FName": "名", "FTEL": "1", "FADDRESS": "上海"})
    erp.saved(
        "BD_Customer", {"FCUSTID": record_id, "FName": "不会改", "FTEL": "2"}, NeedUpDateFields=["FTEL"]
    )
    assert erp.one("BD_Customer", "FName,FTEL,FADDRESS", f"FCUSTID={record_id}") == ["名", "2", "上海"]


def test_entries_are_kept_by_fentryid_and_absent_ones_deleted(erp):
    model = {"FName": "多地址", "FT_BD_CUSTCONTACT": [{"FNAME1": "仓库一"}, {"FNAME1": "仓库二"}]}
    record_id, _ = erp.saved("BD_Customer", model)
    rows = erp.query("BD_Customer", "FT_BD_CUSTCONTACT_FENTRYID,FNAME1", f"FCUSTID={record_id}")
    first_id = rows[0][0]
    change = {
        "FCUSTID": record_id,
        "FT_BD_CUSTCONTACT": [{"FENTRYID": first_id, "FNAME1": "仓库一改"}, {"FNAME1": "仓库三"}],
    }
    erp.saved("BD_Customer", change)
    rows = erp.query("BD_Customer", "FT_BD_CUSTCONTACT_FENTRYID,FNAME1", f"FCUSTID={record_id}")
    assert rows[0] == [first_id, "仓库一改"]
    assert [r[1] for r in rows] == ["仓库一改", "仓库三"]
    erp.saved(
        "BD_Customer",
        {"FCUSTID": record_id, "FT_BD_CUSTCONTACT": [{"FNAME1": "仓库四"}]},
        IsDeleteEntry=False,
    )
    assert [r[0] for r in erp.query("BD_Customer", "FNAME1", f"FCUSTID={record_id}")] == [
        "仓库一改",
        "仓库三",
        "仓库四",
    ]


def test_need_return_fields_returns_header_and_entry_values(erp):
    model = {
        "FName": "返回",
        "FTRADINGCURRID": {"FNumber": "PRE001"},
        "FT_BD_CUSTCONTACT": [{"FNAME1": "地址"}],
    }
    reply = erp.save(
        "BD_Customer", model, NeedReturnFields=["FNumber", "FTRADINGCURRID", "FT_BD_CUSTCONTACT.FNAME1"]
    )
    returned = reply["Result"]["NeedReturnData"][0]
    assert returned["FNumber"] == reply["Result"]["Number"]
    assert returned["FTRADINGCURRID"] == {"FNumber": "PRE001"}
    assert returned["FT_BD_CUSTCONTACT"] == [
        {"FENTRYID": returned["FT_BD_CUSTCONTACT"][0]["FENTRYID"], "FNAME1": "地址"}
    ]


def test_a_number_in_use_is_refused_with_the_erp_message(erp):
    reply = erp.save("BD_Customer", {"FNumber": "CUST0001", "FName": "重复"})
    assert reply == {
        "Result": {
            "ResponseStatus": {
                "ErrorCode": 500,
                "IsSuccess": False,
                "Errors": [
                    {
                        "FieldName": "FNumber",
                        "Message": "违反字段唯一性要求：编码唯一。[CUST0001]在当前系统中已经被使用。",
                        "DIndex": 0,
                    }
                ],
                "SuccessEntitys": [],
                "SuccessMessages": [],
                "MsgCode": 11,
            }
        }
    }


def test_bills_refuse_a_number_in_use_on_fbillno(erp):
    erp.saved("SAL_SaleOrder", erp.order_model(FBillNo="SO-1"))
    error = status(erp.save("SAL_SaleOrder", erp.order_model(FBillNo="SO-1")))["Errors"][0]
    assert error["FieldName"] == "FBillNo"
    assert error["Message"] == "违反字段唯一性要求：编码唯一。[SO-1]在当前系统中已经被使用。"


def test_an_unknown_reference_is_blanked_then_required(erp):
    reply = erp.save("SAL_SaleOrder", erp.order_model(customer="NO-SUCH"))
    assert status(reply)["Errors"] == [{"FieldName": "FCustId", "Message": "字段“客户”是必填项", "DIndex": 0}]


def test_an_unknown_optional_reference_is_silently_blanked(erp):
    record_id, _ = erp.saved("BD_Customer", {"FName": "无销售员", "FSELLER": {"FNumber": "NOBODY"}})
    assert erp.one("BD_Customer", "FSELLER,FSELLER.FNumber", f"FCUSTID={record_id}") == [0, None]


def test_verify_base_data_field_rejects_the_reference(erp):
    reply = erp.save(
        "BD_Customer", {"FName": "x", "FSELLER": {"FNumber": "NOBODY"}}, IsVerifyBaseDataField=True
    )
    error = status(reply)["Errors"][0]
    assert error["FieldName"] == "FSELLER" and "NOBODY" in error["Message"] and status(reply)["MsgCode"] == 11


def test_entry_cells_have_their_own_message(erp):
    model = {
        "FCustomerID": {"FNumber": "CUST0001"},
        "FEntity": [{"FMaterialID": {"FNumber": "04.0001"}, "FRealQty": 1}],
    }
    errors = status(erp.save("SAL_OUTSTOCK", model))["Errors"]
    assert {
        "FieldName": "FStockID",
        "Message": "单据体实体【明细信息】第【1】行分录，【仓库】字段必录",
        "DIndex": 0,
    } in errors


def test_a_bill_without_lines_is_refused(erp):
    errors = status(erp.save("SAL_SaleOrder", {"FCustId": {"FNumber": "CUST0001"}}))["Errors"]
    assert errors == [
        {"FieldName": "FSaleOrderEntry", "Message": "单据体实体【订单明细】至少需要录入一行分录", "DIndex": 0}
    ]


def test_references_resolve_by_id_and_by_any_key_case(erp):
    currency = erp.one("BD_Currency", "FCURRENCYID", "FNumber='PRE007'")[0]
    record_id, _ = erp.saved(
        "BD_Customer",
        {"FName": "美元客户", "FTRADINGCURRID": {"Id": currency}, "FSELLER": {"fnumber": "E001"}},
    )
    assert erp.one("BD_Customer", "FTRADINGCURRID.FNumber,FSELLER.FName", f"FCUSTID={record_id}") == [
        "PRE007",
        "张伟",
    ]


def test_defaults_fill_what_was_not_given(erp):
    record_id, _ = erp.saved("BD_Customer", {"FName": "默认值"})
    row = erp.one(
        "BD_Customer",
        "FCreateOrgId.FNumber,FUseOrgId.FNumber,FTRADINGCURRID.FNumber,FCustTypeId.FNumber,"
        "FDocumentStatus,FForbidStatus",
        f"FCUSTID={record_id}",
    )
    assert row == ["100", "100", "PRE001", "KHLB001_SYS", "A", "A"]


def test_read_only_keys_are_skipped(erp):
    record_id, _ = erp.saved("BD_Customer", {"FName": "自定义", "FDocumentStatus": "C"})
    assert erp.one("BD_Customer", "FDocumentStatus", f"FCUSTID={record_id}") == ["A"]


def test_updating_a_missing_record_is_refused(erp):
    error = status(erp.save("BD_Customer", {"FCUSTID": 999999999, "FName": "x"}))["Errors"][0]
    assert error["FieldName"] == "FCUSTID" and "999999999" in error["Message"]


def test_bad_values_name_the_field(erp):
    errors = status(erp.save("SAL_SaleOrder", erp.order_model(FDate="2025-13-45")))["Errors"]
    assert errors == [
        {"FieldName": "FDate", "Message": "字段“日期”的值“2025-13-45”格式不正确", "DIndex": 0},
        {"FieldName": "FDate", "Message": "字段“日期”是必填项", "DIndex": 0},
    ]


def test_unknown_form_is_refused(erp):
    reply = erp.save("BD_Nothing", {"FName": "x"})
    assert status(reply)["Errors"][0]["Message"] == "业务对象不存在"


def test_batch_save_mixes_results_by_dindex_and_is_not_atomic(erp):
    models = [
        {"FName": "好一"},
        {"FNumber": "CUST0001", "FName": "重复"},
        {"FTEL": "无名"},
        {"FName": "好二"},
    ]
    reply = erp.call("DynamicFormService.BatchSave", {"formid": "BD_Customer", "data": {"Model": models}})
    result = status(reply)
    assert result["IsSuccess"] is False and result["ErrorCode"] == 500 and result["MsgCode"] == 11
    assert [e["DIndex"] for e in result["SuccessEntitys"]] == [0, 3]
    assert [(e["DIndex"], e["FieldName"]) for e in result["Errors"]] == [(1, "FNumber"), (2, "FName")]
    names = [e["Number"] for e in result["SuccessEntitys"]]
    assert [
        r[0]
        for r in erp.query(
            "BD_Customer", "FName", f"FNumber in ('{names[0]}','{names[1]}')", OrderString="FNumber"
        )
    ] == ["好一", "好二"]
    assert reply["Result"]["Id"] == "" and len(reply["Result"]["NeedReturnData"]) == 2


def test_batch_save_rejects_duplicates_inside_the_batch(erp):
    models = [{"FNumber": "NEW-1", "FName": "甲"}, {"FNumber": "NEW-1", "FName": "乙"}]
    result = status(
        erp.call("DynamicFormService.BatchSave", {"formid": "BD_Customer", "data": {"Model": models}})
    )
    assert [e["DIndex"] for e in result["SuccessEntitys"]] == [0]
    assert result["Errors"][0]["DIndex"] == 1


def test_draft_skips_required_checks_and_submit_then_applies_them(erp):
    draft = erp.save("SAL_SaleOrder", {"FNote": "草稿"}, service="Draft")
    record_id = draft["Result"]["Id"]
    assert erp.one("SAL_SaleOrder", "FDocumentStatus,FNote", f"FID={record_id}") == ["Z", "草稿"]
    errors = status(erp.op("Submit", "SAL_SaleOrder", {"Ids": str(record_id)}))["Errors"]
    assert {"FieldName": "FCustId", "Message": "字段“客户”是必填项", "DIndex": 0} in errors
    erp.saved("SAL_SaleOrder", {"FID": record_id, **erp.order_model()})
    assert erp.one("SAL_SaleOrder", "FDocumentStatus", f"FID={record_id}") == ["A"]


def test_sale_order_amounts_are_computed_from_lines(erp):
    model = erp.order_model(lines=(("01.0001", 10, "113"), ("02.0001", 3, "56.5")))
    record_id, _ = erp.saved("SAL_SaleOrder", model)
    rows = erp.query(
        "SAL_SaleOrder",
        "FPrice,FAmount,FTaxAmount,FAllAmount,FBillAllAmount",
        f"FID={record_id}",
        OrderString="FSaleOrderEntry_FSeq",
    )
    assert rows == [[100.0, 1000.0, 130.0, 1130.0, 1299.5], [50.0, 150.0, 19.5, 169.5, 1299.5]]
    plan = erp.query("SAL_SaleOrder", "FRecAmount", f"FID={record_id}")
    assert plan == [[1299.5]]


def test_order_unit_defaults_to_the_material_sale_unit(erp):
    record_id, _ = erp.saved("SAL_SaleOrder", erp.order_model(lines=(("04.0001", 100, "20"),)))
    assert erp.one("SAL_SaleOrder", "FUnitID.FNumber,FSaleOrgId.FNumber", f"FID={record_id}") == ["m", "100"]


def test_base_data_must_be_allocated_to_the_bill_organisation(erp):
    east = erp.tenant["sales_orgs"][0]
    errors = status(erp.save("SAL_SaleOrder", erp.order_model(FSaleOrgId={"FNumber": east["number"]})))[
        "Errors"
    ]
    assert errors == [{"FieldName": "FCustId", "Message": "字段“客户”是必填项", "DIndex": 0}]
    customer_id = erp.one("BD_Customer", "FCUSTID", "FNumber='CUST0001'")[0]
    erp.op("Allocate", "BD_Customer", {"PkIds": str(customer_id), "TOrgIds": str(east["id"])})
    order_id, _ = erp.saved("SAL_SaleOrder", erp.order_model(FSaleOrgId={"FNumber": east["number"]}))
    east_copy = erp.one("BD_Customer", "FCUSTID", f"FNumber='CUST0001' and FUseOrgId={east['id']}")[0]
    assert east_copy != customer_id
    assert erp.one("SAL_SaleOrder", "FCustId", f"FID={order_id}") == [east_copy]


def test_texts_longer_than_the_column_are_refused(erp):
    errors = status(erp.save("BD_Customer", {"FName": "长" * 256}))["Errors"]
    assert errors == [
        {"FieldName": "FName", "Message": "字段“客户名称”的长度不能超过255个字符", "DIndex": 0},
        {"FieldName": "FName", "Message": "字段“客户名称”是必填项", "DIndex": 0},
    ]
