"""ExecuteBillQuery and BillQuery: field keys, entry rows, filters, ordering, paging, errors."""

import pytest


def error_of(reply):
    """The ResponseStatus inside a query's ``[[{"Result": ...}]]`` error."""
    assert isinstance(reply, list) and isinstance(reply[0], list) and isinstance(reply[0][0], dict), reply
    return reply[0][0]["Result"]["ResponseStatus"]


@pytest.fixture
def orders(erp):
    """Two orders of CUST0001: the first with two lines, the second with one."""
    first = erp.saved("SAL_SaleOrder", erp.order_model(lines=(("01.0001", 2, "113"), ("02.0001", 5, "11.3"))))
    second = erp.saved("SAL_SaleOrder", erp.order_model(lines=(("03.0001", 1, "3390"),)))
    return first, second


def test_reference_numbers_and_entry_fields_expand_rows(erp, orders):
    (first_id, first_no), (second_id, second_no) = orders
    rows = erp.query(
        "SAL_SaleOrder",
        "FID,FBillNo,FCustId,FCustId.FNumber,FMaterialId.FNumber,FQty,FSaleOrderEntry_FEntryID",
        "FCustId.FNumber = 'CUST0001'",
        OrderString="FID ASC,FSaleOrderEntry_FSeq",
    )
    customer_id = erp.one("BD_Customer", "FCUSTID", "FNumber='CUST0001'")[0]
    assert [row[:6] for row in rows] == [
        [first_id, first_no, customer_id, "CUST0001", "01.0001", 2.0],
        [first_id, first_no, customer_id, "CUST0001", "02.0001", 5.0],
        [second_id, second_no, customer_id, "CUST0001", "03.0001", 1.0],
    ]
    entry_ids = [row[6] for row in rows]
    assert len(set(entry_ids)) == 3 and all(isinstance(i, int) and i > 100000 for i in entry_ids)


def test_header_only_keys_give_one_row_per_record(erp, orders):
    assert len(erp.query("SAL_SaleOrder", "FID,FBillNo")) == 2


def test_dates_come_as_the_erp_writes_them(erp, orders):
    date, modified = erp.query("SAL_SaleOrder", "FDate,FModifyDate")[0]
    assert date.endswith("T00:00:00") and len(date) == 19
    assert modified[10] == "T" and len(modified) in (19, 23)


@pytest.mark.parametrize(
    ("filter_string", "expected"),
    [
        ("FQty > 1", [2.0, 5.0]),
        ("FQty >= 2 and FQty <= 2", [2.0]),
        ("FQty <> 2", [5.0, 1.0]),
        ("FQty != 2", [5.0, 1.0]),
        ("FQty < 2 or FQty = 5", [5.0, 1.0]),
        ("FMaterialId.FNumber like '0%1' and not (FQty = 1)", [2.0, 5.0]),
        ("FMaterialId.FNumber in ('01.0001', '03.0001')", [2.0, 1.0]),
        ("FMaterialId.FNumber not in ('01.0001')", [5.0, 1.0]),
        ("FQty between 2 and 5", [2.0, 5.0]),
        ("FApproveDate is null and FDocumentStatus = 'a'", [2.0, 5.0, 1.0]),
        ("FApproveDate is not null", []),
        ("(FQty = 1 or FQty = 2) and FDate >= '2020-01-01'", [2.0, 1.0]),
        ("FDate < '2020-01-01T00:00:00'", []),
        ("1=1", [2.0, 5.0, 1.0]),
        ("FTaxPrice = 11.3", [5.0]),
        ("FIsFree = 0", [2.0, 5.0, 1.0]),
        ("FCustId.FName like N'%华信%'", [2.0, 5.0, 1.0]),
    ],
)
def test_filter_operators(erp, orders, filter_string, expected):
    rows = erp.query("SAL_SaleOrder", "FQty", filter_string, OrderString="FID,FSaleOrderEntry_FSeq")
    assert [row[0] for row in rows] == expected


def test_order_string_sorts_by_several_keys(erp, orders):
    rows = erp.query("SAL_SaleOrder", "FBillNo,FQty", OrderString="FBillNo DESC, FQty desc")
    assert [row[1] for row in rows] == [1.0, 5.0, 2.0]


def test_paging_by_start_row_and_limit_with_the_row_cap(erp, sandbox):
    erp.call(
        "DynamicFormService.BatchSave",
        {"formid": "BD_Customer", "data": {"Model": [{"FName": f"分页客户{i:02d}"} for i in range(25)]}},
    )
    keys, where = "FName", "FName like '分页客户%'"
    page = erp.query("BD_Customer", keys, where, OrderString="FName", StartRow=10, Limit=10)
    assert [row[0] for row in page] == [f"分页客户{i:02d}" for i in range(10, 20)]
    assert len(erp.query("BD_Customer", keys, where, StartRow=20, Limit=10)) == 5
    assert len(erp.query("BD_Customer", keys, where, TopRowCount=7)) == 7
    sandbox.set_faults("k3cloud", query_row_cap=8)
    assert len(erp.query("BD_Customer", keys, where, Limit=100)) == 8
    assert len(erp.query("BD_Customer", keys, where, Limit=0)) == 8
    assert len(erp.query("BD_Customer", keys, where, StartRow=24, Limit=5)) == 1


def test_bill_query_keys_rows_by_the_field_keys_as_written(erp, orders):
    reply = erp.call(
        "DynamicFormService.BillQuery",
        {
            "data": {
                "FormId": "SAL_SaleOrder",
                "FieldKeys": "FBillNo, FCustId.FNumber",
                "FilterString": "FQty = 1",
            }
        },
    )
    assert reply == [{"FBillNo": orders[1][1], "FCustId.FNumber": "CUST0001"}]


def test_unknown_field_in_field_keys_is_the_literal_error(erp):
    reply = erp.query("BD_Customer", "FNumber,FIssueType")
    assert reply == [
        [
            {
                "Result": {
                    "ResponseStatus": {
                        "ErrorCode": 500,
                        "IsSuccess": False,
                        "Errors": [
                            {
                                "FieldName": None,
                                "Message": "元数据中标识为FIssueType的字段不存在",
                                "DIndex": 0,
                            }
                        ],
                        "SuccessEntitys": [],
                        "SuccessMessages": [],
                        "MsgCode": 9,
                    }
                }
            }
        ]
    ]


def test_fid_is_not_a_customer_field(erp):
    assert (
        error_of(erp.query("BD_Customer", "FID"))["Errors"][0]["Message"] == "元数据中标识为FID的字段不存在"
    )


def test_unknown_fields_in_filter_and_order_are_errors_too(erp):
    assert error_of(erp.query("BD_Customer", "FNumber", "FNope = 1"))["MsgCode"] == 9
    assert error_of(erp.query("BD_Customer", "FNumber", OrderString="FNope"))["MsgCode"] == 9
    assert error_of(erp.query("BD_Customer", "FCustTypeId.FNope"))["MsgCode"] == 9


def test_unknown_form_and_bad_filters(erp):
    assert error_of(erp.query("BD_Nothing", "FNumber"))["Errors"][0]["Message"] == "业务对象不存在"
    bad_date = error_of(erp.query("BD_Customer", "FNumber", "FModifyDate >= 'yesterday'"))
    assert bad_date["Errors"][0]["Message"] == "从字符串转换日期和/或时间时，转换失败。"
    syntax = error_of(erp.query("BD_Customer", "FNumber", "FNumber = 'A' and"))
    assert syntax["MsgCode"] == 4 and "语法" in syntax["Errors"][0]["Message"]


def test_link_rows_are_queryable(erp):
    order_id, _ = erp.audited_order()
    erp.op("Push", "SAL_SaleOrder", {"Ids": str(order_id), "RuleId": "SaleOrder-DeliveryNotice"})
    rows = erp.query(
        "SAL_DELIVERYNOTICE", "FBillNo,FEntity_Link_FSBillId,FEntity_Link_FRuleId,FEntity_Link_FSTableName"
    )
    assert rows[0][1:] == [order_id, "SaleOrder-DeliveryNotice", "T_SAL_ORDERENTRY"]


def test_incremental_pull_by_modify_date_and_id(erp, sandbox):
    first, _ = erp.saved("BD_Customer", {"FName": "早"})
    watermark = erp.one("BD_Customer", "FModifyDate", f"FCUSTID={first}")[0]
    sandbox.advance_clock("k3cloud", 5)
    second, _ = erp.saved("BD_Customer", {"FName": "晚"})
    rows = erp.query(
        "BD_Customer", "FCUSTID,FName", f"FModifyDate >= '{watermark}'", OrderString="FModifyDate,FCUSTID"
    )
    assert rows == [[first, "早"], [second, "晚"]]
    rows = erp.query("BD_Customer", "FCUSTID", f"FModifyDate > '{watermark}'")
    assert rows == [[second]]


def test_queries_take_positional_parameters_and_data_as_a_string(erp):
    data = '{"FormId":"BD_Currency","FieldKeys":"FNumber,FName","FilterString":"FNumber=\'PRE001\'"}'
    assert erp.call("DynamicFormService.ExecuteBillQuery", {"parameters": [data]}) == [["PRE001", "人民币"]]
    assert erp.call("DynamicFormService.ExecuteBillQuery", {"data": data}) == [["PRE001", "人民币"]]
    assert erp.call("DynamicFormService.BillQuery", {"DATA": data}) == [
        {"FNumber": "PRE001", "FName": "人民币"}
    ]


def test_text_matches_ignore_case_whatever_sql_narrows_them_to(erp):
    """``=`` and ``in`` on a header text field are pre-selected in SQL; the answer is the same
    case-insensitive match, down to the values SQL's ``lower`` does not fold (the Kelvin sign
    casefolds to "k")."""
    codes = {"91ABC": "upper", "91abc": "lower", "91\u212aX": "kelvin", "91kx": "plain", "": "none"}
    numbers = {}
    for code, name in codes.items():
        numbers[name] = erp.saved("BD_Customer", {"FName": name, "FSOCIALCRECODE": code})[1]

    def names(filter_string):
        return sorted(row[0] for row in erp.query("BD_Customer", "FName", filter_string))

    assert names("FSOCIALCRECODE in ('91aBc', '91KX')") == ["kelvin", "lower", "plain", "upper"]
    assert names("FSOCIALCRECODE = '91abc' and FName <> 'upper'") == ["lower"]
    assert names("FSOCIALCRECODE = ''") == ["none"]
    assert names(f"FNumber in ('{numbers['plain'].lower()}', 'NONE')") == ["plain"]
