"""Push with link rows and quantities, Allocate, receipts and View of documents."""


def status(reply):
    return reply["Result"]["ResponseStatus"]


def push(erp, form_id, source_id, rule, **extra):
    data = {
        "Ids": str(source_id),
        "RuleId": rule,
        "TargetFormId": "",
        "IsEnableDefaultRule": False,
        "IsDraftWhenSaveFail": False,
        "CustomParams": {},
        **extra,
    }
    return status(erp.op("Push", form_id, data))


def test_push_order_to_delivery_notice_carries_lines_links_and_quantities(erp):
    order_id, order_no = erp.audited_order(lines=(("01.0001", 10, "113"), ("04.0001", 200, "20")))
    entry_ids = [
        r[0]
        for r in erp.query(
            "SAL_SaleOrder", "FSaleOrderEntry_FEntryID", f"FID={order_id}", OrderString="FSaleOrderEntry_FSeq"
        )
    ]
    pushed = push(erp, "SAL_SaleOrder", order_id, "SaleOrder-DeliveryNotice")
    assert pushed["IsSuccess"] is True
    notice_id = pushed["SuccessEntitys"][0]["Id"]
    assert pushed["SuccessEntitys"][0]["Number"].startswith("FHTZD")
    rows = erp.query(
        "SAL_DELIVERYNOTICE",
        "FDocumentStatus,FCustomerID.FNumber,FMaterialID.FNumber,FQty,FTaxPrice,"
        "FSoorDerno,FSOEntryId,FEntity_Link_FSBillId,FEntity_Link_FSId,FEntity_Link_FRuleId,FAllAmount",
        f"FID={notice_id}",
        OrderString="FEntity_FSeq",
    )
    assert rows == [
        [
            "A",
            "CUST0001",
            "01.0001",
            10.0,
            113.0,
            order_no,
            entry_ids[0],
            order_id,
            entry_ids[0],
            "SaleOrder-DeliveryNotice",
            1130.0,
        ],
        [
            "A",
            "CUST0001",
            "04.0001",
            200.0,
            20.0,
            order_no,
            entry_ids[1],
            order_id,
            entry_ids[1],
            "SaleOrder-DeliveryNotice",
            4000.0,
        ],
    ]
    assert [
        r[0]
        for r in erp.query("SAL_SaleOrder", "FDeliQty", f"FID={order_id}", OrderString="FSaleOrderEntry_FSeq")
    ] == [10.0, 200.0]


def test_push_carries_only_what_is_left_and_only_the_chosen_lines(erp):
    order_id, order_no = erp.audited_order(lines=(("01.0001", 10, "113"), ("02.0001", 4, "11.3")))
    first_entry = erp.query(
        "SAL_SaleOrder", "FSaleOrderEntry_FEntryID", f"FID={order_id}", OrderString="FSaleOrderEntry_FSeq"
    )[0][0]
    partial = push(erp, "SAL_SaleOrder", order_id, "SaleOrder-DeliveryNotice", EntryIds=str(first_entry))
    notice_id = partial["SuccessEntitys"][0]["Id"]
    assert erp.query("SAL_DELIVERYNOTICE", "FQty", f"FID={notice_id}") == [[10.0]]
    rest = push(erp, "SAL_SaleOrder", order_id, "SaleOrder-DeliveryNotice")
    assert erp.query(
        "SAL_DELIVERYNOTICE", "FMaterialID.FNumber,FQty", f"FID={rest['SuccessEntitys'][0]['Id']}"
    ) == [["02.0001", 4.0]]
    nothing = push(erp, "SAL_SaleOrder", order_id, "SaleOrder-DeliveryNotice")
    assert nothing["IsSuccess"] is False and "没有可下推的分录" in nothing["Errors"][0]["Message"]
    # deleting a notice gives its quantity back to the order line
    erp.op("Delete", "SAL_DELIVERYNOTICE", {"Ids": str(notice_id)})
    again = push(erp, "SAL_SaleOrder", order_id, "SaleOrder-DeliveryNotice")
    assert erp.query("SAL_DELIVERYNOTICE", "FQty", f"FID={again['SuccessEntitys'][0]['Id']}") == [[10.0]]


def test_push_needs_an_audited_source_and_a_rule(erp):
    order_id, number = erp.saved("SAL_SaleOrder", erp.order_model())
    refused = push(erp, "SAL_SaleOrder", order_id, "SaleOrder-DeliveryNotice")
    assert refused["Errors"][0]["Message"] == f"单据编号为“{number}”的销售订单，单据未审核，不允许下推！"
    assert push(erp, "SAL_SaleOrder", order_id, "")["MsgCode"] == 8
    assert push(erp, "SAL_SaleOrder", order_id, "NoSuchRule")["MsgCode"] == 8


def test_default_rule_by_target_form(erp):
    order_id, _ = erp.audited_order()
    pushed = status(
        erp.op(
            "Push",
            "SAL_SaleOrder",
            {
                "Numbers": [erp.one("SAL_SaleOrder", "FBillNo", f"FID={order_id}")[0]],
                "TargetFormId": "SAL_DELIVERYNOTICE",
                "IsEnableDefaultRule": True,
            },
        )
    )
    assert pushed["IsSuccess"] is True


def test_delivery_notice_to_outstock_and_the_order_cannot_be_unaudited(erp):
    order_id, order_no = erp.audited_order(lines=(("01.0001", 3, "113"),))
    notice_id = push(erp, "SAL_SaleOrder", order_id, "SaleOrder-DeliveryNotice")["SuccessEntitys"][0]["Id"]
    refused = push(erp, "SAL_DELIVERYNOTICE", notice_id, "DeliveryNotice-OutStock")
    assert refused["IsSuccess"] is False
    erp.op("Submit", "SAL_DELIVERYNOTICE", {"Ids": str(notice_id)})
    erp.op("Audit", "SAL_DELIVERYNOTICE", {"Ids": str(notice_id)})
    out = push(erp, "SAL_DELIVERYNOTICE", notice_id, "DeliveryNotice-OutStock")
    outstock_id = out["SuccessEntitys"][0]["Id"]
    assert out["SuccessEntitys"][0]["Number"].startswith("XSCKD")
    row = erp.one(
        "SAL_OUTSTOCK",
        "FRealQty,FMustQty,FStockID.FNumber,FSoorDerno,FEntity_Link_FSBillId,"
        "FEntity_Link_FSTableName,FCustomerID.FNumber",
        f"FID={outstock_id}",
    )
    assert row == [3.0, 3.0, "CK001", order_no, notice_id, "T_SAL_DELIVERYNOTICEENTRY", "CUST0001"]
    assert erp.one("SAL_DELIVERYNOTICE", "FSumOutQty", f"FID={notice_id}") == [3.0]
    unaudit = status(erp.op("UnAudit", "SAL_SaleOrder", {"Ids": str(order_id)}))
    assert "已经存在下游单据" in unaudit["Errors"][0]["Message"]


def test_a_notice_line_without_stock_cannot_become_outbound_unless_drafted(erp):
    order_id, _ = erp.audited_order(lines=(("04.0001", 5, "20"),))  # cables: no default stock
    notice_id = push(erp, "SAL_SaleOrder", order_id, "SaleOrder-DeliveryNotice")["SuccessEntitys"][0]["Id"]
    erp.op("Submit", "SAL_DELIVERYNOTICE", {"Ids": str(notice_id)})
    erp.op("Audit", "SAL_DELIVERYNOTICE", {"Ids": str(notice_id)})
    refused = push(erp, "SAL_DELIVERYNOTICE", notice_id, "DeliveryNotice-OutStock")
    assert refused["Errors"][0] == {
        "FieldName": "FStockID",
        "Message": "单据体实体【明细信息】第【1】行分录，【仓库】字段必录",
        "DIndex": 0,
    }
    drafted = push(erp, "SAL_DELIVERYNOTICE", notice_id, "DeliveryNotice-OutStock", IsDraftWhenSaveFail=True)
    assert erp.one("SAL_OUTSTOCK", "FDocumentStatus", f"FID={drafted['SuccessEntitys'][0]['Id']}") == ["Z"]


def test_allocate_gives_each_organisation_its_own_copy(erp):
    customer_id = erp.one("BD_Customer", "FCUSTID", "FNumber='CUST0001'")[0]
    orgs = [org["id"] for org in erp.tenant["sales_orgs"]]
    reply = status(
        erp.op(
            "Allocate",
            "BD_Customer",
            {"PkIds": str(customer_id), "TOrgIds": f"{orgs[0]},{orgs[1]}", "IsAutoSubmitAndAudit": False},
        )
    )
    assert reply["IsSuccess"] is True and len(reply["SuccessEntitys"]) == 2
    rows = erp.query(
        "BD_Customer",
        "FCUSTID,FMASTERID,FUseOrgId,FCreateOrgId.FNumber,FName,FDocumentStatus",
        "FNumber='CUST0001'",
        OrderString="FCUSTID",
    )
    assert [row[1] for row in rows] == [customer_id] * 3
    assert [row[2] for row in rows] == [erp.tenant["org_id"], *orgs]
    assert {row[3] for row in rows} == {"100"} and len({row[4] for row in rows}) == 1
    assert [row[5] for row in rows] == ["C", "A", "A"]
    again = status(erp.op("Allocate", "BD_Customer", {"PkIds": str(customer_id), "TOrgIds": str(orgs[0])}))
    assert again["SuccessEntitys"][0]["Id"] == rows[1][0]  # repeating answers the existing copy


def test_allocate_needs_audited_data_and_known_organisations(erp):
    customer_id, number = erp.saved("BD_Customer", {"FName": "未审核"})
    org = erp.tenant["sales_orgs"][0]["id"]
    refused = status(erp.op("Allocate", "BD_Customer", {"PkIds": str(customer_id), "TOrgIds": str(org)}))
    assert refused["Errors"][0]["Message"] == f"编码为“{number}”的客户，未审核的数据不允许分配！"
    audited = erp.one("BD_Customer", "FCUSTID", "FNumber='CUST0001'")[0]
    unknown = status(erp.op("Allocate", "BD_Customer", {"PkIds": str(audited), "TOrgIds": "999999"}))
    assert unknown["MsgCode"] == 10
    orders = status(erp.op("Allocate", "SAL_SaleOrder", {"PkIds": "1", "TOrgIds": str(org)}))
    assert orders["IsSuccess"] is False


def test_edits_of_the_master_reach_allocated_copies(erp):
    customer_id, _ = erp.saved("BD_Customer", {"FName": "原名"}, IsAutoSubmitAndAudit=True)
    org = erp.tenant["sales_orgs"][0]["id"]
    erp.op(
        "Allocate",
        "BD_Customer",
        {"PkIds": str(customer_id), "TOrgIds": str(org), "IsAutoSubmitAndAudit": True},
    )
    erp.op("UnAudit", "BD_Customer", {"Ids": str(customer_id)})
    erp.saved("BD_Customer", {"FCUSTID": customer_id, "FName": "新名"})
    rows = erp.query(
        "BD_Customer", "FName,FUseOrgId,FDocumentStatus", f"FMASTERID={customer_id}", OrderString="FCUSTID"
    )
    assert rows == [["新名", erp.tenant["org_id"], "D"], ["新名", org, "C"]]


def test_receipts_carry_the_order_number(erp):
    order_id, order_no = erp.audited_order()
    model = {
        "FDATE": "2026-09-10",
        "FCONTACTUNITTYPE": "BD_Customer",
        "FCONTACTUNIT": {"FNumber": "CUST0001"},
        "FPAYUNITTYPE": "BD_Customer",
        "FPAYUNIT": {"FNumber": "CUST0001"},
        "FCURRENCYID": {"FNumber": "PRE001"},
        "FSETTLEORGID": {"FNumber": "100"},
        "FSALEORGID": {"FNumber": "100"},
        "FPAYORGID": {"FNumber": "100"},
        "FRECEIVEBILLENTRY": [
            {
                "FSETTLETYPEID": {"FNumber": "JSFS04_SYS"},
                "FPURPOSEID": {"FNumber": "SFKYT01_SYS"},
                "FRECTOTALAMOUNTFOR": 600,
                "FACCOUNTID": {"FNumber": "YHZH001"},
                "FSALEORDERNO": order_no,
            }
        ],
    }
    receipt_id, number = erp.saved("AR_RECEIVEBILL", model)
    assert number.startswith("SKD") and len(number) == 11
    row = erp.one(
        "AR_RECEIVEBILL",
        "FDATE,FCONTACTUNIT.FNumber,FRECAMOUNTFOR,FRECAMOUNTFOR_E,FSALEORDERNO,FPURPOSEID.FName",
        f"FID={receipt_id}",
    )
    assert row == ["2026-09-10T00:00:00", "CUST0001", 600.0, 600.0, order_no, "销售收款"]


def test_view_shows_the_object_model(erp):
    order_id, order_no = erp.saved("SAL_SaleOrder", erp.order_model(FNote="备注"))
    reply = erp.op("View", "SAL_SaleOrder", {"CreateOrgId": 0, "Number": order_no, "IsSortBySeq": False})
    assert reply["Result"]["ResponseStatus"] is None
    model = reply["Result"]["Result"]
    assert (model["Id"], model["BillNo"], model["DocumentStatus"], model["Note"]) == (
        order_id,
        order_no,
        "A",
        "备注",
    )
    assert model["CustId"]["Number"] == "CUST0001" and model["CustId_Id"] == model["CustId"]["Id"]
    line = model["SaleOrderEntry"][0]
    assert (line["Seq"], line["Qty"], line["MaterialId"]["Number"]) == (1, 10.0, "01.0001")
    assert model["SaleOrderFinance"][0]["BillAllAmount"] == 1130.0
    by_id = erp.op("View", "SAL_SaleOrder", {"Id": order_id})
    assert by_id["Result"]["Result"]["BillNo"] == order_no
    missing = erp.op("View", "SAL_SaleOrder", {"Number": "NOPE"})
    assert status(missing)["MsgCode"] == 10 and status(missing)["IsSuccess"] is False
