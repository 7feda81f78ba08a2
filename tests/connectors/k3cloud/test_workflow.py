"""Submit, Audit, UnAudit, Delete, Allocate, Push and ExcuteOperation through the client,
including the lost answers that are settled by reading the ERP back instead of repeating."""

import pytest

from connectors.k3cloud.errors import DocumentNotFoundError, NotOperableError, UnprocessedDocumentsError

ORDER = "SAL_SaleOrder"


@pytest.fixture
def client(make_client):
    return make_client("password", timeout=2.0)


def order_model(lines=(("01.0001", 10, "113"),)):
    entries = [
        {"FMaterialId": {"FNumber": material}, "FQty": qty, "FTaxPrice": price, "FEntryTaxRate": 13}
        for material, qty, price in lines
    ]
    return {"FCustId": {"FNumber": "CUST0001"}, "FSaleOrderEntry": entries}


def new_order(client, **options):
    return client.save(ORDER, order_model(), **options)


def status_of(client, number, form_id=ORDER):
    return client.view(form_id, number=number)["DocumentStatus"]


def test_an_order_walks_through_submit_audit_and_unaudit(client):
    order = new_order(client)
    assert status_of(client, order.number) == "A"

    submitted = client.submit(ORDER, numbers=[order.number])
    assert (submitted.entities[0].id, submitted.settled) == (order.id, False)
    assert status_of(client, order.number) == "B"

    audited = client.audit(ORDER, ids=[order.id])
    assert audited.messages == [f"单据编号为“{order.number}”的销售订单，审核成功！"]
    assert status_of(client, order.number) == "C"

    client.unaudit(ORDER, numbers=[order.number])
    assert status_of(client, order.number) == "D"


def test_refused_steps_raise_not_operable_with_the_erp_message(client):
    order = new_order(client, is_auto_submit_and_audit=True)
    assert status_of(client, order.number) == "C"

    with pytest.raises(NotOperableError) as again:
        client.audit(ORDER, numbers=[order.number])
    assert again.value.message == f"单据编号为“{order.number}”的销售订单，单据已经审核！"
    with pytest.raises(NotOperableError) as delete:
        client.delete(ORDER, numbers=[order.number])
    assert delete.value.message == "单据状态为暂存、创建或重新审核的数据才允许删除"
    with pytest.raises(NotOperableError):
        client.save(ORDER, {"FID": order.id, "FNote": "改"})


def test_one_refused_document_of_several_is_named_by_its_index(client):
    first, second = new_order(client), new_order(client)
    client.submit(ORDER, numbers=[second.number])

    with pytest.raises(NotOperableError) as raised:
        client.submit(ORDER, numbers=[first.number, second.number])

    assert [d["dindex"] for d in raised.value.details] == [1]
    assert status_of(client, first.number) == "B"


def test_an_audit_after_the_watermark_is_found_by_approve_date(client, sandbox):
    order = new_order(client)
    saved_at = next(client.query(ORDER, "FModifyDate", f"FID={order.id}"))["FModifyDate"]
    sandbox.advance_clock("k3cloud", 600)
    client.submit(ORDER, ids=[order.id])
    client.audit(ORDER, ids=[order.id])

    by_modify = list(client.query(ORDER, "FID", f"FModifyDate > '{saved_at}'"))
    by_either = list(client.query(ORDER, "FID", f"FModifyDate > '{saved_at}' or FApproveDate > '{saved_at}'"))

    assert order.id not in [r["FID"] for r in by_modify]
    assert [r["FID"] for r in by_either] == [order.id]


@pytest.mark.parametrize("operation", ["submit", "audit", "unaudit", "delete"])
def test_a_lost_answer_is_settled_by_reading_the_status_not_by_repeating(
    client, sandbox, call_log, sleeps, operation
):
    order = new_order(client)
    steps = {"audit": ["submit"], "unaudit": ["submit", "audit"]}.get(operation, [])
    for step in steps:
        getattr(client, step)(ORDER, numbers=[order.number])
    service = {"submit": "Submit", "audit": "Audit", "unaudit": "UnAudit", "delete": "Delete"}[operation]
    sandbox.set_faults("k3cloud", operations=[service], drop_after_commit_rate=1.0)

    result = getattr(client, operation)(ORDER, numbers=[order.number])

    assert result.settled and result.status.is_success
    assert [c["outcome"] for c in call_log(service)] == ["ok_dropped"]
    assert sleeps == []
    sandbox.clear_faults("k3cloud")
    expected = {"submit": "B", "audit": "C", "unaudit": "D"}.get(operation)
    if expected:
        assert result.entities[0].id == order.id
        assert status_of(client, order.number) == expected
    else:
        assert list(client.query(ORDER, "FID", f"FID={order.id}")) == []


def test_a_lost_answer_to_a_call_that_did_nothing_is_repeated_once_it_is_known(
    client, sandbox, call_log, sleeps
):
    order = new_order(client)
    sandbox.set_faults("k3cloud", operations=["Submit"], reset_rate=1.0)  # reset before any work
    sleeps.then = lambda: sandbox.clear_faults("k3cloud")

    result = client.submit(ORDER, numbers=[order.number])

    assert not result.settled and result.entities[0].id == order.id
    assert [c["outcome"] for c in call_log("Submit", any_tenant=True)] == ["reset", "ok"]
    assert len(sleeps) == 1
    assert status_of(client, order.number) == "B"


def test_push_creates_a_linked_delivery_notice_with_the_quantities(client):
    order = client.save(
        ORDER, order_model([("01.0001", 10, "113"), ("04.0001", 200, "20")]), is_auto_submit_and_audit=True
    )

    pushed = client.push(ORDER, numbers=[order.number], rule_id="SaleOrder-DeliveryNotice")

    notice = pushed.entities[0]
    assert notice.number.startswith("FHTZD") and not pushed.settled
    rows = list(
        client.query(
            "SAL_DELIVERYNOTICE",
            "FMaterialID.FNumber,FQty,FSoorDerno,FEntity_Link_FSBillId",
            f"FID={notice.id}",
            "FEntity_FSeq ASC",
        )
    )
    assert rows == [
        {
            "FMaterialID.FNumber": "01.0001",
            "FQty": 10.0,
            "FSoorDerno": order.number,
            "FEntity_Link_FSBillId": order.id,
        },
        {
            "FMaterialID.FNumber": "04.0001",
            "FQty": 200.0,
            "FSoorDerno": order.number,
            "FEntity_Link_FSBillId": order.id,
        },
    ]


def test_a_lost_push_answer_is_settled_by_finding_the_new_notice(client, sandbox, call_log):
    order = new_order(client, is_auto_submit_and_audit=True)
    earlier = client.push(ORDER, ids=[order.id], rule_id="SaleOrder-DeliveryNotice", entry_ids=[])
    client.delete("SAL_DELIVERYNOTICE", ids=[earlier.entities[0].id])  # gives the quantity back
    sandbox.set_faults("k3cloud", operations=["Push"], drop_after_commit_rate=1.0)

    pushed = client.push(ORDER, numbers=[order.number], rule_id="SaleOrder-DeliveryNotice")

    assert pushed.settled
    sandbox.clear_faults("k3cloud")
    linked = {
        r["FID"] for r in client.query("SAL_DELIVERYNOTICE", "FID", f"FEntity_Link_FSBillId={order.id}")
    }
    assert linked == {pushed.entities[0].id}
    assert [c["outcome"] for c in call_log("Push")] == ["ok", "ok_dropped"]


def test_the_delivery_notice_pushes_on_to_an_outbound_document(client):
    order = new_order(client, is_auto_submit_and_audit=True)
    notice = client.push(ORDER, ids=[order.id], rule_id="SaleOrder-DeliveryNotice").entities[0]
    client.submit("SAL_DELIVERYNOTICE", ids=[notice.id])
    client.audit("SAL_DELIVERYNOTICE", ids=[notice.id])

    outbound = client.push("SAL_DELIVERYNOTICE", ids=[notice.id], rule_id="DeliveryNotice-OutStock")

    assert outbound.entities[0].number
    row = next(
        client.query("SAL_OUTSTOCK", "FRealQty,FEntity_Link_FSBillId", f"FID={outbound.entities[0].id}")
    )
    assert row == {"FRealQty": 10.0, "FEntity_Link_FSBillId": notice.id}


def test_allocate_copies_a_customer_to_each_organisation_and_settles_a_lost_answer(client, erp, sandbox):
    customer = client.save("BD_Customer", {"FName": "分配测试客户"}, is_auto_submit_and_audit=True)
    first, second = (org["id"] for org in erp["sales_orgs"])

    direct = client.allocate("BD_Customer", [customer.id], [first])
    sandbox.set_faults("k3cloud", operations=["Allocate"], drop_after_commit_rate=1.0)
    lost = client.allocate("BD_Customer", [customer.id], [second])

    assert not direct.settled and lost.settled
    assert lost.entities[0].number == customer.number
    sandbox.clear_faults("k3cloud")
    copies = list(
        client.query("BD_Customer", "FUseOrgId,FMASTERID", f"FNumber='{customer.number}'", "FUseOrgId")
    )
    assert [(c["FUseOrgId"], c["FMASTERID"]) for c in copies] == [
        (erp["org_id"], customer.id),
        (first, customer.id),
        (second, customer.id),
    ]


def test_forbid_and_enable_with_a_lost_answer_settled_from_the_forbid_status(client, sandbox):
    customer = client.save("BD_Customer", {"FName": "禁用测试客户"})
    sandbox.set_faults("k3cloud", operations=["ExcuteOperation"], drop_after_commit_rate=1.0)

    forbidden = client.execute_operation("BD_Customer", "Forbid", numbers=[customer.number])

    assert forbidden.settled
    sandbox.clear_faults("k3cloud")
    assert client.view("BD_Customer", number=customer.number)["ForbidStatus"] == "B"
    enabled = client.execute_operation("BD_Customer", "Enable", ids=[customer.id])
    assert not enabled.settled
    assert client.view("BD_Customer", number=customer.number)["ForbidStatus"] == "A"


def test_cancel_marks_an_order(client):
    order = new_order(client)
    client.execute_operation(ORDER, "Cancel", ids=[order.id])
    assert client.view(ORDER, number=order.number)["CancelStatus"] == "B"


@pytest.mark.parametrize("operation", ["submit", "delete"])
def test_a_number_left_out_of_success_entitys_raises_unprocessed(client, operation):
    """A real server answers IsSuccess true for an unknown number (spec §9, single source)."""
    order = new_order(client)
    with pytest.raises(UnprocessedDocumentsError) as left_out:
        getattr(client, operation)(ORDER, numbers=["NO-SUCH-ORDER", order.number])
    assert left_out.value.code == 10
    assert [(d["dindex"], "NO-SUCH-ORDER" in d["message"]) for d in left_out.value.details] == [(0, True)]
    assert "NO-SUCH-ORDER" in left_out.value.message and order.number not in left_out.value.message
    if operation == "submit":
        assert status_of(client, order.number) == "B"  # the known one went through
    else:
        with pytest.raises(DocumentNotFoundError):
            client.view(ORDER, number=order.number)


def test_every_number_processed_passes(client):
    first, second = new_order(client), new_order(client)
    result = client.submit(ORDER, numbers=[first.number, second.number])
    assert sorted(result.numbers) == sorted([first.number, second.number])
